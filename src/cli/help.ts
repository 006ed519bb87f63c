/** Usage texts of every command. */

export const HELP = `kubedrill - run YAML test scenarios against a simulated Kubernetes cluster

Usage: kubedrill <command> [options]

Commands:
  run [paths...]                 run scenarios (default scenarios/); TAP on stdout
  validate [paths...]            load and check only; problems on stderr; exit 0 or 2
  explain <file> --pod NAME      the scheduler's view of a pod: filters and scores per node
  state <file> --at T            the stored objects at simulated instant T, like kubectl get
  trace <file>                   everything that happened, in order, with simulated times
  timeline <file> -o run.svg     a picture: a lane per node, a bar per pod coloured by phase
  schema                         print the scenario JSON Schema
  init [file]                    write a commented starter scenario (default scenarios/example.yaml)

Options:
  --version                      print the version
  --help                         print this help; '<command> --help' for a command's options

Exit codes: 0 all passed, 1 an assertion failed, 2 invalid input, 3 internal error.
`;

const LIMIT_OPTS = `  --allow-outside                {file} references may leave the scenario's folder
  --max-nodes N                  limit on nodes per scenario (default 10000)
  --max-pods N                   limit on declared pods per scenario (default 300000)
  --max-objects N                limit on objects per scenario (default 500000)
  --max-events N                 limit on events per scenario (default 100000)
  --max-span D                   limit on until (default 720h)
  --max-wall-time D              wall-time limit per scenario (default 2m)
  --max-steps N                  reactions allowed at one simulated instant (default 2000000)
  --max-aliases N                YAML aliases per file (default 1000)
  --max-depth N                  YAML nesting depth (default 200)
  --max-file-bytes N             size of one input file (default 67108864)
  --max-yaml-values N            YAML values in one input file, estimated before parsing (default 500000)
`;

const FILE_OPTS = `  --seed N                       override the scenario's seed
  --scenario NAME                which scenario of the file (needed when it holds several)
${LIMIT_OPTS}`;

export const COMMAND_HELP: Record<string, string> = {
  run: `Usage: kubedrill run [paths...] [options]

Runs every scenario in the files and folders given (default scenarios/) and reports.

Options:
  --seed N                       use seed N for every scenario (overrides seed:)
  --seeds N                      run each scenario with seeds 1..N; report the smallest failing seed
  --grep PATTERN                 only scenarios whose name matches (ECMAScript regex)
  --bail                         stop after the first scenario with a failing point
  --jobs N                       run N scenarios in parallel (output stays in file order)
  --shard I/N                    only the files at positions k with k mod N = I-1
  --reporter R                   tap (default), pretty, junit; repeatable; R=path writes a file
  --record                       print each scenario with an expect block describing what happened
  --timing                       append ' # time=<n>ms' to top-level points (JUnit: time attributes)
  --check-invariants             check simulator invariants after every instant (debug)
${LIMIT_OPTS}`,
  validate: `Usage: kubedrill validate [paths...] [options]

Loads and checks scenario files without running them. Problems go to stderr as file:line:col: message.

Options:
${LIMIT_OPTS}`,
  explain: `Usage: kubedrill explain <file> --pod NAME [--at T] [options]

For each node: the filter that rejected the pod and why, or each score plugin's normalized score x weight
and the total, as the scheduler saw it at its last attempt at or before T (default end).

Options:
  --pod NAME                     the pod (name or glob matching one pod; namespace/name accepted)
  --at T                         instant (default end)
${FILE_OPTS}`,
  state: `Usage: kubedrill state <file> --at T [--kind Pod] [-o yaml|wide] [options]

Prints the stored objects at simulated instant T, like kubectl get.

Options:
  --at T                         instant (default end)
  --kind KIND                    only this kind (default: Nodes, Pods and the workloads)
  -o, --output yaml|wide         output format (default: table)
${FILE_OPTS}`,
  trace: `Usage: kubedrill trace <file> [--format text|jsonl] [options]

Prints everything that happened, in order, with simulated times.

Options:
  --format text|jsonl            output format (default text)
${FILE_OPTS}`,
  timeline: `Usage: kubedrill timeline <file> -o run.svg|run.html [options]

Draws a lane per node, a bar per pod coloured by phase, marks for faults, restarts and evictions.

Options:
  -o, --output FILE              run.svg or run.html
${FILE_OPTS}`,
  schema: `Usage: kubedrill schema

Prints schemas/scenario.schema.json, for '# yaml-language-server: $schema=...'.
`,
  init: `Usage: kubedrill init [file]

Writes a commented starter scenario (default scenarios/example.yaml). Never overwrites a file.
`,
};
