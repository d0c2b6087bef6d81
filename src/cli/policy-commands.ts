import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { describeUsageError, parse } from '../grammar/index.js';
import { loadInventory } from '../inventory/load.js';
import { selectNodes } from '../inventory/select.js';
import type { LabNode } from '../inventory/types.js';
import { actionFor } from '../ops/request-action.js';
import { authorize } from '../permissions/authorize.js';
import { explain } from '../permissions/explain.js';
import { loadPolicy } from '../permissions/policy-load.js';
import { slackSubject } from '../permissions/subject.js';
import { settingsFor } from '../handlers/terminal/one-shot.js';
import { guarded } from './guarded.js';

/** `clab-bot policy check FILE` and `clab-bot policy explain ...`. */
export function registerPolicyCommands(program: Command, exit: (code: number) => void): void {
  const policy = program.command('policy').description('check a permission policy file, or explain a decision');

  policy
    .command('check')
    .argument('<file>', 'policy YAML file')
    .description('validate a policy file: every problem with its line and column; exit 0 when valid')
    .action(async (file: string) => {
      exit(
        await guarded(async () => {
          const p = loadPolicy(file);
          const roles = Object.keys(p.roles).length;
          process.stdout.write(
            `${file}: ok (${roles} roles, ${p.grants.length} grants, ${p.approvals.required} approval(s) required, self-approval ${p.approvals.self_approval ? 'on' : 'off'})\n`,
          );
          for (const w of p.warnings) process.stdout.write(`warning: ${w}\n`);
          return 0;
        }),
      );
    });

  policy
    .command('explain')
    .argument('<request>', 'the request as typed after /clab, e.g. "exec r1 show version"')
    .description('print the decision for a Slack user and why; exit 0 when allowed, 1 when denied')
    .requiredOption('--user <id>', 'Slack user ID (U…)')
    .option('--channel <id>', 'Slack channel ID (C…)')
    .option('--groups <handles>', 'comma-separated Slack user group handles the user is in', '')
    .option('--policy <file>', 'policy file (default: settings policy / CLAB_BOT_POLICY)')
    .option('--labs <path>', 'a lab directory or file to resolve the targets (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--config <file>', 'settings file')
    .action(async (text: string, o: { user: string; channel?: string; groups: string; policy?: string; labs?: string[]; config?: string }) => {
      exit(
        await guarded(async () => {
          const settings = settingsFor({ config: o.config, db: undefined }, { env: process.env, cwd: process.cwd() });
          const file = o.policy ?? settings.policy;
          const policy = file ? loadPolicy(file) : null;
          const parsed = parse(text, { source: 'slack' });
          if (!parsed.ok) throw new UsageError(describeUsageError(parsed.error));
          const request = parsed.request;
          let targets: LabNode[] = [];
          if ('selector' in request && request.selector) {
            const inv = await loadInventory(o.labs && o.labs.length > 0 ? o.labs : [...settings.labs], { overrides: settings.credentials });
            try {
              targets = selectNodes(inv.nodes, request.selector);
            } catch (err) {
              if (!(err instanceof UsageError)) throw err;
              // Still explain the rights; scopes by lab, kind or label then cannot be judged.
              process.stdout.write(`note: ${err.message}; explaining without target nodes (pass --labs to resolve them)\n`);
            }
          }
          const subject = slackSubject(o.user, { channelId: o.channel, groups: o.groups.split(',').map((g) => g.trim()).filter(Boolean) });
          process.stdout.write(`${explain(policy, subject, actionFor(request), targets)}\n`);
          // Scripts can test the decision: 0 allowed, 1 denied.
          return authorize(policy, subject, actionFor(request), targets).allowed ? 0 : 1;
        }),
      );
    });
}
