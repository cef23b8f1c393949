package io.gonkanode.local;

import java.nio.file.Path;
import java.util.Locale;

/** {@code deploy/local/up}: starts the whole network node locally (on chain-sim, or an external chain node) and runs until Ctrl-C. */
public final class Up {

    private Up() {
    }

    static final String USAGE = """
            usage: deploy/local/up [options]
              --mlnodes N            simulated ML nodes to start and register (default 2; 0 for real ML nodes only)
              --epoch fast|realistic fast: an epoch with its PoC round in about two minutes (default);
                                     realistic: mainnet's parameters with 6 s blocks (an epoch is about a day)
              --data-dir DIR         where PostgreSQL data and logs live (default .local); a restart keeps state
              --db-url JDBC_URL      use this PostgreSQL instead of the embedded one (with --db-user, --db-password)
              --db-port PORT         port of the embedded PostgreSQL (default 54329)
              --api-port PORT        api-node (default 8000)
              --registry-port PORT   node-registry (default 9200)
              --collector-port PORT  poc-collector (default 9100)
              --mlnode-port PORT     first simulated node's management port (default 8081; inference from 5001)
              --mlnode-inference-port PORT
              --admin-token TOKEN    require this bearer token on the Admin API
              --peers N              chain-sim's simulated peer hosts (default 2)
              --chain-port PORT      chain-sim's CometBFT RPC (default 26657)
              --chain-node-url URL   follow this chain node instead of starting chain-sim (a Gonka node's RPC,
                                     e.g. http://node:26657); needs --account-pubkey and --warm-key-file
              --account-pubkey KEY   the host's account (cold) public key, base64, on that chain
              --warm-key-file FILE   the warm key's private key as 64 hex characters, readable by you only
                                     (inferenced keys export <name> --unarmored-hex --unsafe > FILE; chmod 600 FILE)
              --quiet                service output to DATA_DIR/logs only
            """;

    public static void main(String[] args) {
        StackOptions o = new StackOptions();
        o.root = Path.of(System.getProperty("gonka.root", "."));
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--mlnodes" -> o.mlnodes = Integer.parseInt(args[++i]);
                    case "--epoch" -> o.epoch = StackOptions.Epoch.valueOf(args[++i].toUpperCase(Locale.ROOT));
                    case "--data-dir" -> o.dataDir = Path.of(args[++i]);
                    case "--db-url" -> o.dbUrl = args[++i];
                    case "--db-user" -> o.dbUser = args[++i];
                    case "--db-password" -> o.dbPassword = args[++i];
                    case "--db-port" -> o.dbPort = Integer.parseInt(args[++i]);
                    case "--api-port" -> o.apiPort = Integer.parseInt(args[++i]);
                    case "--registry-port" -> o.registryPort = Integer.parseInt(args[++i]);
                    case "--collector-port" -> o.collectorPort = Integer.parseInt(args[++i]);
                    case "--mlnode-port" -> o.simPortBase = Integer.parseInt(args[++i]);
                    case "--mlnode-inference-port" -> o.simInferencePortBase = Integer.parseInt(args[++i]);
                    case "--admin-token" -> o.adminToken = args[++i];
                    case "--account-pubkey" -> o.accountPubkey = args[++i];
                    case "--warm-key-file" -> o.warmKeyFile = Path.of(args[++i]);
                    case "--chain-node-url" -> {
                        o.chainNodeUrl = args[++i];
                        o.chain = StackOptions.Chain.EXTERNAL;
                    }
                    case "--peers" -> o.peers = Integer.parseInt(args[++i]);
                    case "--chain-port" -> o.chainPort = Integer.parseInt(args[++i]);
                    case "--quiet" -> o.console = null;
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.mlnodes < 0) {
                throw new IllegalArgumentException("--mlnodes must be 0 or more");
            }
            if (o.peers < 0 || o.peers > 1000) {
                throw new IllegalArgumentException("--peers must be 0 to 1000");
            }
            if (o.chain == StackOptions.Chain.SIM && (o.accountPubkey != null || o.warmKeyFile != null)) {
                throw new IllegalArgumentException("--account-pubkey and --warm-key-file go with --chain-node-url "
                        + "(chain-sim registers this host with the development keys in DATA_DIR/keys)");
            }
        } catch (RuntimeException e) {
            System.err.println("deploy/local/up: " + (e instanceof ArrayIndexOutOfBoundsException ? "option " + args[args.length - 1]
                    + " needs a value" : e.getMessage()));
            System.err.print(USAGE);
            System.exit(2);
        }
        LocalStack stack = new LocalStack(o);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping ...");
            stack.close();
            System.out.println("stopped.");
        }, "shutdown"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("deploy/local/up: " + e.getMessage());
            System.exit(1);
        }
        System.out.println(stack.banner());
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
