/**
 * The built-in workers config: a route for every topic of the shipped processes
 * (processes/root-orchestrator.bpmn and processes/examples/*.bpmn). procos.example.yml
 * ships the same routes (a test keeps the two equal); a procos.yml `workers.topics`
 * entry replaces the default route of its topic, and adds a topic that is not here.
 *
 * Strings may use kernel placeholders, replaced before the routes are compiled
 * (see `kernel/placeholders.ts`): `{{procos.url}}` (the kernel's own base URL),
 * `{{procos.node}}` (the Node.js executable running ProcOS) and `{{procos.dataDir}}`.
 * `${name}` placeholders are the adapters' own: looked up in the task's variables.
 */
import type { WorkersConfig } from '../worker/index.js';

/** Counts instances by state and process: a small `node -e` program (stdin: the instance list as JSON). */
const SUMMARISE_SCRIPT = [
  "let s = '';",
  "process.stdin.on('data', (d) => (s += d)).on('end', () => {",
  '  const list = JSON.parse(s).instances;',
  '  const byProcess = {};',
  '  for (const i of list) byProcess[i.key] = (byProcess[i.key] || 0) + 1;',
  '  console.log(JSON.stringify({',
  '    total: list.length,',
  "    running: list.filter((i) => i.state === 'running' || i.state === 'incident').length,",
  "    completed: list.filter((i) => i.state === 'completed').length,",
  '    withIncidents: list.filter((i) => i.incidents > 0).length,',
  '    byProcess,',
  '  }));',
  '});',
].join('\n');

/** The five most used words of stdin, one `count word` per line (a POSIX shell pipeline). */
const TOP_WORDS_PIPELINE = "tr -cs '[:alpha:]' '\\n' | tr '[:upper:]' '[:lower:]' | sort | uniq -c | sort -k1,1nr -k2,2 | head -n 5";

/** Routes of the shipped processes' topics, and the policy defaults of every route. */
export const DEFAULT_WORKERS: WorkersConfig = {
  defaults: { retries: 3, retryTimeout: 1000, lockDuration: 30_000, timeout: 60_000 },
  topics: {
    // root_orchestrator
    system_init: {
      adapter: 'http',
      config: {
        url: '{{procos.url}}/procos/v1/status',
        failOn: ['5xx'],
        output: { status: null, headers: null, body: 'coreServices' },
      },
    },
    start_monitoring: {
      adapter: 'shell',
      config: {
        command: 'df',
        args: ['-Pk', '{{procos.dataDir}}'],
        env: { pass: ['PATH'] },
        output: { exitCode: null, stderr: null, stdoutTruncated: null, stderrTruncated: null, stdout: 'diskUsage' },
      },
    },
    // general_process_handler (processes/general-request-handler.bpmn)
    'request.status': {
      adapter: 'http',
      config: {
        url: '{{procos.url}}/procos/v1/status',
        failOn: ['5xx'],
        output: { status: null, headers: null, body: 'result' },
      },
    },
    'request.echo': {
      adapter: 'shell',
      config: {
        command: 'node',
        args: ['-e', 'process.stdout.write(JSON.stringify({echo: process.argv[1], length: process.argv[1].length}))', '${payload}'],
        env: { pass: ['PATH'] },
        stdoutJson: true,
        output: { exitCode: null, stderr: null, stdoutTruncated: null, stderrTruncated: null, stdout: 'result' },
      },
    },
    // kernel_report (processes/examples/kernel-report.bpmn)
    'report.fetch_instances': {
      adapter: 'http',
      config: {
        url: '{{procos.url}}/procos/v1/instances',
        query: { state: 'all', limit: '500' },
        errorCodes: { '4xx': 'KERNEL_API_REFUSED' },
        failOn: ['5xx'],
        output: { status: null, headers: null, body: 'instances' },
      },
    },
    'report.summarise': {
      adapter: 'shell',
      config: {
        command: '{{procos.node}}',
        args: ['-e', SUMMARISE_SCRIPT],
        stdin: '${instances}',
        stdoutJson: true,
        output: { exitCode: null, stderr: null, stdoutTruncated: null, stderrTruncated: null, stdout: 'summary' },
      },
    },
    'report.list_incidents': {
      adapter: 'http',
      config: {
        url: '{{procos.url}}/procos/v1/incidents',
        failOn: ['4xx', '5xx'],
        output: { status: null, headers: null, body: 'openIncidents' },
      },
    },
    // file_intake (processes/examples/file-intake.bpmn)
    'intake.read': {
      adapter: 'shell',
      config: {
        command: 'cat',
        args: ['--', '${file}'],
        env: { pass: ['PATH'] },
        output: { exitCode: null, stderr: null, stdoutTruncated: null, stderrTruncated: null, stdout: 'text' },
      },
    },
    'intake.check_text': {
      adapter: 'shell',
      config: {
        command: 'grep',
        args: ['-Iq', '.'],
        stdin: '${text}',
        env: { pass: ['PATH'] },
        onNonZeroExit: { bpmnError: 'NOT_TEXT', errorMessage: '${file} is empty or not a text file' },
        output: { exitCode: null, stdout: null, stderr: null, stdoutTruncated: null, stderrTruncated: null },
      },
    },
    'intake.count_words': {
      adapter: 'shell',
      config: {
        command: 'wc',
        args: ['-w'],
        stdin: '${text}',
        stdoutJson: true,
        env: { pass: ['PATH'] },
        output: { exitCode: null, stderr: null, stdoutTruncated: null, stderrTruncated: null, stdout: 'words' },
      },
    },
    'intake.top_words': {
      adapter: 'shell',
      config: {
        command: 'sh',
        args: ['-c', TOP_WORDS_PIPELINE],
        stdin: '${text}',
        env: { pass: ['PATH'], set: { LC_ALL: 'C' } },
        output: { exitCode: null, stderr: null, stdoutTruncated: null, stderrTruncated: null, stdout: 'topWords' },
      },
    },
  },
};
