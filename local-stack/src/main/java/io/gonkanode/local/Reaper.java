package io.gonkanode.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Leaves nothing behind when the launcher dies, even by SIGKILL: a small watchdog shell, started once per
 * launcher JVM, is told over its standard input which services and PostgreSQL data directories are
 * running. When that pipe closes (the launcher is gone, however it went) it stops what is still listed,
 * services first (SIGTERM, SIGKILL after 30 s), then PostgreSQL (SIGINT: a fast shutdown). What the
 * launcher stopped itself is crossed off first, so an orderly exit kills nothing.
 */
final class Reaper {

    private static final String SCRIPT = """
            trap '' INT HUP TERM
            pids=' '
            pgs=''
            while read -r verb arg; do
              case "$verb" in
                pid) pids="$pids$arg " ;;
                unpid) pids=$(printf '%s' "$pids" | sed "s/ $arg / /") ;;
                pg) pgs=$(printf '%s\\n%s' "$pgs" "$arg") ;;
                unpg) pgs=$(printf '%s\\n' "$pgs" | grep -vxF "$arg") ;;
              esac
            done
            for p in $pids; do kill -TERM "$p" 2>/dev/null; done
            i=0
            while [ $i -lt 300 ]; do
              alive=''
              for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
              [ -z "$alive" ] && break
              sleep 0.1
              i=$((i + 1))
            done
            for p in $pids; do kill -KILL "$p" 2>/dev/null; done
            printf '%s\\n' "$pgs" | while IFS= read -r d; do
              [ -n "$d" ] && [ -f "$d/postmaster.pid" ] && kill -INT "$(head -n 1 "$d/postmaster.pid")" 2>/dev/null
            done
            exit 0
            """;

    private static Reaper instance;

    private final OutputStream orders;

    private Reaper(Process watchdog) {
        this.orders = watchdog.getOutputStream();
    }

    /** The launcher's watchdog, started on first use. */
    static synchronized Reaper get() {
        if (instance == null) {
            try {
                Process p = new ProcessBuilder("setsid", "sh", "-c", SCRIPT)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                instance = new Reaper(p);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the process watchdog (sh, setsid): " + e.getMessage(), e);
            }
        }
        return instance;
    }

    void watch(long pid) {
        order("pid " + pid);
    }

    void forget(long pid) {
        order("unpid " + pid);
    }

    void watchPostgres(Path dataDir) {
        order("pg " + dataDir.toAbsolutePath());
    }

    void forgetPostgres(Path dataDir) {
        order("unpg " + dataDir.toAbsolutePath());
    }

    private synchronized void order(String line) {
        try {
            orders.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            orders.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the process watchdog is gone: " + e.getMessage(), e);
        }
    }
}
