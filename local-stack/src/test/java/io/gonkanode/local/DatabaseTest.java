package io.gonkanode.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {

    @Test
    void aStartStopsAServerLeftRunningOnItsDataFolderAndKeepsTheData() throws Exception {
        Path dir = Files.createTempDirectory("gonka-stale-pg");
        Database abandoned = Database.embedded(dir, 0);
        try (Connection c = abandoned.connect()) {
            c.createStatement().execute("create table kept (v int); insert into kept values (42)");
        }
        long stalePid = postmaster(dir);
        // the launcher that started it is gone without stopping it: only the server is left. A dead launcher's
        // lock on the folder died with it; this one lives on in this JVM, so its lock file is taken away instead
        Files.delete(dir.resolve("epg-lock"));

        try (Database db = Database.embedded(dir, 0)) {
            assertFalse(ProcessHandle.of(stalePid).map(ProcessHandle::isAlive).orElse(false), "the stale server was stopped");
            assertNotEquals(stalePid, postmaster(dir));
            try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("select v from kept")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1), "the data survived");
            }
        }
        assertFalse(Files.exists(dir.resolve("postmaster.pid")), "closed: the server is down");
    }

    private static long postmaster(Path dir) throws Exception {
        return Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
    }
}
