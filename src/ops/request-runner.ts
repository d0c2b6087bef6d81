import { randomUUID } from 'node:crypto';
import { UsageError, asClabBotError } from '../errors.js';
import type { ExecResult, Facts, Plan } from '../drivers/contract.js';
import type { ConfigSource, TemplateSource } from '../model/config-source.js';
import { renderForNodes, varsObject } from '../templates/index.js';
import { learnSecrets } from '../redact/index.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Executions } from '../db/executions.js';
import { formatRequest } from '../grammar/index.js';
import { renderHelp, type Source } from '../grammar/help.js';
import type { Request, RequestOf, Verb } from '../grammar/request.js';
import type { LabRegistry } from '../inventory/registry.js';
import { NoLabsError } from '../inventory/no-labs.js';
import { selectNodes } from '../inventory/select.js';
import type { LabNode } from '../inventory/types.js';
import { approvalsRequired, authorize, NO_POLICY_HINT, type Action, type Decision } from '../permissions/authorize.js';
import { describeSubject } from '../permissions/explain.js';
import type { Policy } from '../permissions/policy-schema.js';
import { nodeInSight } from '../permissions/roles.js';
import { isPolicySubject, slackSubject, subjectId, terminalSubject, type Subject } from '../permissions/subject.js';
import type { ChangeService } from './changes/change-service.js';
import type { ChangeView, Person, PlanVet } from './changes/types.js';
import type { Logger } from '../log.js';
import { DeviceFileError, deviceFileProblem, readConfigFile } from './config-file.js';
import { configGuard, vetOutcome } from './config-guard.js';
import { planOnNodes, type DeviceAccess } from './device-ops.js';
import type { ExecDispatcher } from './exec-dispatch.js';
import type { OutputLimits } from './exec-output.js';
import { countByStatus, NODE_STATUSES, type NodeOutcome } from './outcome.js';
import type { RequestResult } from './results.js';
import { actionFor } from './request-action.js';
import type { RateLimiter } from './rate-limit.js';
import type { NodeFactsService } from './node-facts.js';
import { nodeKey, type NodeRef } from '../model/node-ref.js';
import type { BackupsRepo } from '../db/backups-repo.js';
import { BackupNotFoundError, backupNodes, diffBackups, exportBackups, oneNode, showBackup, type BackupResult } from './backup-ops.js';
import { DRIFT_STATUSES, adoptDrift, checkDrift, driftStatusOf, restoreMethod, type DriftValue } from './drift-ops.js';
import { BACKUP_ORIGIN, type SaveOutcome } from '../db/backups-repo.js';
import type { AdjacencyReader } from '../graph/adjacency/types.js';
import { adjacencyPlan, buildLabGraph, graphSelector } from './graph-ops.js';

/** Who asked, from where, and how the front end wants to follow the work. */
export interface RequestContext {
  readonly requestId?: string;
  readonly subject: Subject;
  readonly actorName?: string;
  readonly channel?: string;
  readonly source: Source;
  readonly signal?: AbortSignal;
  /**
   * The terminal's working directory: `config --file` may read any file the OS user can read,
   * relative to it. Honoured only for the trusted terminal (a subject bound to no policy user).
   */
  readonly localFilesFrom?: string;
  /** Config text for `config` without a source (Slack modal, terminal stdin). */
  readonly inlineConfig?: string;
  /** The change version the approver was shown (Slack button value): a re-planned change refuses it. */
  readonly changeVersion?: number;
  /** Called once the targets are known and allowed, before any device work (root message, spinner). */
  readonly onStart?: (start: { readonly request: Request; readonly targets: readonly LabNode[] }) => void | Promise<void>;
  /**
   * How this front end sees another user (groups included), to authorize a change's --check for
   * its requester when it is approved. Without it the requester's user ID and the change's channel
   * are used, without groups.
   */
  readonly subjectOf?: (userId: string, channel: string | undefined) => Promise<Subject>;
  /** `backup`: the origin its versions are saved under (the scheduled run's `scheduled`); default `manual`. */
  readonly backupOrigin?: string;
  /** Called as each node finishes. */
  readonly onOutcome?: (outcome: NodeOutcome<unknown>, done: number, total: number) => void;
}

export interface RequestRunnerDeps {
  readonly inventory: Pick<LabRegistry, 'nodes' | 'labs' | 'warnings' | 'search'>;
  readonly access: DeviceAccess;
  /** Where exec runs: this process (local) or the agents owning the nodes. */
  readonly exec: ExecDispatcher;
  readonly audit: AuditLog;
  readonly executions: Executions;
  /** The policy in force now (reloaded by the app when its file changes); null = no policy file. */
  readonly policy: () => Policy | null;
  readonly changes: ChangeService;
  readonly configsDir: string | undefined;
  readonly limits: { readonly execTimeoutSec: number; readonly requestDeadlineSec: number; readonly output?: OutputLimits };
  readonly logger: Logger;
  /** Per-user limit on requests: every verb but help and whoami, denied requests included. */
  readonly rateLimiter?: RateLimiter;
  /** Per-user limit on nodes touched: exec, config and rollback cost one unit per target. */
  readonly nodeRateLimiter?: RateLimiter;
  /** Saved running configurations (`backup`), and how many versions each node keeps (settings `backup.keep_versions`). */
  readonly backups: { readonly repo: BackupsRepo; readonly keepVersions: number; readonly keepDays?: number | undefined };
  /** `nodes --facts`: the facts cache and the reads behind it. */
  readonly facts: { readonly service: NodeFactsService; readonly maxAgeMinutes: number };
}

/**
 * The core both front ends call: authorize, resolve targets, run, audit. It never throws for a
 * user's mistake or a device's failure: those come back as a RequestResult.
 */
export class RequestRunner {
  readonly #deps: RequestRunnerDeps;
  constructor(deps: RequestRunnerDeps) {
    this.#deps = deps;
  }

  async run(request: Request, ctx: RequestContext): Promise<RequestResult> {
    const requestId = ctx.requestId ?? randomUUID();
    const full = { ...ctx, requestId };
    try {
      return await this.#dispatch(request, full);
    } catch (err) {
      const error = asClabBotError(err);
      if (error.code === 'internal') this.#deps.logger.error({ err, requestId }, 'request failed');
      // A refused flood is not written row by row: that would let anyone fill the audit log.
      if (error.code !== 'rate_limited') {
        await this.#auditSafe({ requestId, ctx, request, event: 'failure', outcome: 'error', detail: { code: error.code, message: error.message } });
      }
      return error instanceof UsageError ? { kind: 'usage', error } : { kind: 'error', error };
    }
  }

  /**
   * A request a front end refused before the core could decide, because it could not establish
   * who is asking (Slack could not say which user groups the caller is in): audited as a denial
   * like any other. Never throws.
   */
  async recordRefusal(request: Request, ctx: RequestContext, refusal: { readonly code: string; readonly message: string }): Promise<void> {
    const requestId = ctx.requestId ?? randomUUID();
    await this.#auditSafe({ requestId, ctx, request, event: 'decision', outcome: 'denied', detail: { rule: refusal.code, reason: refusal.message } });
  }

  /**
   * Whether `subject` may approve `change` now, by the rule its Approve press is decided by (the
   * press also authorizes the change's --check for its requester). The App Home lists these changes.
   */
  mayApprove(subject: Subject, change: ChangeView): boolean {
    if (change.state !== 'planned' || !change.approvable) return false;
    return authorize(this.#deps.policy(), subject, approveAction(change), this.#changeTargets(change)).allowed;
  }

  /** The nodes `subject` may see: some role they hold covers them (all of them for an admin or the trusted terminal). */
  nodesInSight(subject: Subject): LabNode[] {
    const nodes = this.#deps.inventory.nodes();
    if (!isPolicySubject(subject) || this.isAdmin(subject)) return [...nodes];
    const policy = this.#deps.policy();
    return nodes.filter((n) => nodeInSight(policy, subject, n));
  }

  /** Whether this subject holds admin (sees everyone's history and changes). */
  isAdmin(subject: Subject): boolean {
    return authorize(this.#deps.policy(), subject, { type: 'admin' }, []).allowed;
  }

  async #dispatch(request: Request, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const policy = this.#deps.policy();
    // Every request of a chat user counts, read-only and denied ones too (each writes an audit row);
    // the trusted terminal's operator is not limited.
    if (request.verb !== 'help' && request.verb !== 'whoami' && isPolicySubject(ctx.subject)) await this.#deps.rateLimiter?.take(subjectId(ctx.subject));
    if (policy === null && request.verb !== 'help' && request.verb !== 'whoami') {
      // Default deny before anything else runs: no inventory lookups, no history, no change records.
      const denied = await this.#gate(request, ctx, []);
      if (denied) return denied;
    }
    switch (request.verb) {
      case 'help': {
        const text = renderHelp({ ...(request.topic ? { topic: request.topic } : {}), source: ctx.source, verbs: this.#allowedVerbs(ctx.subject) });
        return { kind: 'help', text: policy === null && isPolicySubject(ctx.subject) ? `${text}\n\n${NO_POLICY_HELP}` : text };
      }
      case 'whoami':
        return { kind: 'whoami', text: describeSubject(policy, ctx.subject) };
      case 'labs': {
        const denied = await this.#read(request, ctx);
        if (denied) return denied;
        return { kind: 'labs', labs: this.#deps.inventory.labs(), warnings: this.#deps.inventory.warnings(), search: this.#deps.inventory.search() };
      }
      case 'nodes': {
        if (request.facts !== undefined) return this.#facts(request, ctx);
        const denied = await this.#read(request, ctx);
        if (denied) return denied;
        return { kind: 'nodes', nodes: this.#select(request.selector, ctx) };
      }
      case 'graph':
        return this.#graph(request, ctx);
      case 'history':
        return this.#history(request, ctx);
      case 'exec':
        return this.#exec(request, ctx);
      case 'config':
        return request.dryRun ? this.#dryRun(request, ctx) : this.#propose(request, ctx);
      case 'rollback':
        return this.#proposeRollback(request, ctx);
      case 'changes': {
        const denied = await this.#read(request, ctx);
        if (denied) return denied;
        const changes = await this.#deps.changes.list({ filter: request.filter, actorId: subjectId(ctx.subject) });
        return { kind: 'changes', changes, filter: request.filter };
      }
      case 'change':
        return this.#change(request, ctx);
      case 'backup':
        return this.#backup(request, ctx);
      case 'render':
        return this.#render(request, ctx);
      case 'drift':
        return this.#drift(request, ctx);
      default:
        return request satisfies never;
    }
  }

  /** `render`: the template's text for each node, from the lab files alone; no device is touched. */
  async #render(request: RequestOf<'render'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const admitted = await this.#admit(request, ctx);
    if ('denied' in admitted) return admitted.denied;
    const { targets, decision } = admitted;
    const { file, rendered } = this.#renderTemplate(request.template, request.vars, targets, ctx);
    await this.#audit(ctx, request, 'render', 'ok', targets, {
      rule: decision.rule,
      template: request.template,
      sha256: file.sha256,
      rendered: Object.fromEntries(rendered.map((r) => [nodeKey(r.node), r.sha256])),
    });
    return {
      kind: 'render',
      template: { path: request.template, sha256: file.sha256 },
      rendered: rendered.map((r) => ({ node: { lab: r.node.lab, name: r.node.name }, content: r.content, sha256: r.sha256 })),
    };
  }

  /** Reads a template like --file (same confinement) and renders it for every target (all or nothing). */
  #renderTemplate(path: string, vars: readonly { key: string; value: string }[], targets: readonly LabNode[], ctx: RequestContext) {
    const file = this.#readLabFile(path, targets, ctx);
    const rendered = renderForNodes({ name: path, text: file.content }, targets, varsObject(vars));
    // A --var may carry a secret into the configuration (a key, a password): once it is found in
    // a secret field of a rendering, its value is masked everywhere, the request's own words
    // (audit rows, the Slack root message) included.
    for (const r of rendered) learnSecrets(r.content);
    return { file, rendered };
  }

  /**
   * A file named by the request (--file, --template). Slack users, and a terminal bound to a Slack
   * user, stay confined to the lab directories (restricted); the trusted terminal may read any
   * file its OS user can (localFrom).
   */
  #readLabFile(path: string, targets: readonly LabNode[], ctx: RequestContext) {
    const restricted = isPolicySubject(ctx.subject);
    const local = ctx.localFilesFrom !== undefined && !restricted ? { localFrom: ctx.localFilesFrom } : {};
    return readConfigFile(path, targets, this.#deps.configsDir, { restricted, ...local });
  }

  async #exec(request: RequestOf<'exec'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const admitted = await this.#admit(request, ctx);
    if ('denied' in admitted) return admitted.denied;
    const { targets, decision } = admitted;
    await this.#audit(ctx, request, 'request', 'allowed', targets, { rule: decision.rule });
    await ctx.onStart?.({ request, targets });
    // Send each node the command exactly as it was authorized (normalised for its CLI).
    const commandFor = new Map(decision.perTarget?.map((t) => [nodeKey(t), t.command ?? request.command]));
    const timeoutMs = (request.timeoutSec ?? this.#deps.limits.execTimeoutSec) * 1000;
    const outcomes = await this.#byCommand(targets, (n) => commandFor.get(nodeKey(n)) ?? request.command, (nodes, command) =>
      this.#deps.exec.exec(nodes, command, request.format, {
        ...this.#stream<ExecResult>(ctx, targets.length, timeoutMs),
        totalNodes: targets.length,
        ...(this.#deps.limits.output ? { limits: this.#deps.limits.output } : {}),
      }),
    );
    await this.#deps.executions.recordMany(
      outcomes.map((o) => ({
        requestId: ctx.requestId,
        lab: o.node.lab,
        name: o.node.name,
        command: commandFor.get(nodeKey(o.node)) ?? request.command,
        ok: o.status === 'ok',
        errorCode: o.error?.code,
        durationMs: o.durationMs,
        outputBytes: o.value ? (o.value.cut?.totalBytes ?? Buffer.byteLength(o.value.output)) : 0,
        startedAt: o.startedAt,
      })),
    );
    await this.#audit(ctx, request, 'exec', outcomeWord(outcomes), targets, { counts: countByStatus(outcomes, NODE_STATUSES) });
    return { kind: 'exec', command: request.command, format: request.format, outcomes };
  }

  /**
   * `nodes --facts`: allowed as `nodes` is (facts are read-only), but the nodes it must ask cost
   * the caller's node rate limit like exec, and the reads go through the scheduler and session pool.
   */
  async #facts(request: RequestOf<'nodes'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const denied = await this.#gate(request, ctx, []);
    if (denied) return denied;
    const facts = this.#deps.facts;
    const targets = this.#select(request.selector, ctx);
    const plan = await facts.service.toFetch(targets, request.facts === 'refresh');
    if (plan.fetch.length > 0 && isPolicySubject(ctx.subject)) await this.#deps.nodeRateLimiter?.take(subjectId(ctx.subject), plan.fetch.length);
    await this.#audit(ctx, request, 'request', 'allowed', targets, { read: plan.fetch.length, cached: targets.length - plan.fetch.length });
    const timeoutMs = this.#deps.limits.execTimeoutSec * 1000;
    const { rows, fetched } = await facts.service.read(targets, plan, this.#stream<Facts>(ctx, plan.fetch.length, timeoutMs));
    if (fetched.length > 0) await this.#audit(ctx, request, 'facts', outcomeWord(fetched), plan.fetch, { counts: countByStatus(fetched, NODE_STATUSES) });
    return { kind: 'node-facts', rows, maxAgeMinutes: facts.maxAgeMinutes, refreshed: request.facts === 'refresh' };
  }

  /**
   * `graph`: allowed as `nodes` is. --check reads the nodes now and costs the node rate limit like
   * exec; --check ospf|bgp runs each vendor's neighbour command, authorized exactly as exec would
   * authorize it on those nodes (a denial names the command), and recorded as an exec.
   */
  async #graph(request: RequestOf<'graph'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const denied = await this.#gate(request, ctx, []);
    if (denied) return denied;
    const targets = this.#select(graphSelector(request.selector, this.#deps.inventory.labs()), ctx);
    const check = request.check;
    const commands = new Map<AdjacencyReader, Map<string, string>>();
    if (check === 'ospf' || check === 'bgp') {
      for (const [reader, nodes] of adjacencyPlan(targets, check)) {
        const decision = authorize(this.#deps.policy(), ctx.subject, { type: 'exec', command: reader.command }, nodes);
        if (!decision.allowed) return this.#denied(request, ctx, decision, nodes);
        commands.set(reader, new Map(decision.perTarget?.map((t) => [nodeKey(t), t.command ?? reader.command])));
      }
    }
    const reads = check === undefined ? 0 : check === 'reach' ? targets.length : [...adjacencyPlan(targets, check).values()].flat().length;
    if (reads > 0 && isPolicySubject(ctx.subject)) await this.#deps.nodeRateLimiter?.take(subjectId(ctx.subject), reads);
    await this.#audit(ctx, request, 'request', 'allowed', targets, { read: reads });
    await ctx.onStart?.({ request, targets });
    const timeoutMs = this.#deps.limits.execTimeoutSec * 1000;
    const facts = this.#deps.facts.service;
    const graph = await buildLabGraph(this.#deps.inventory.labs(), targets, check, {
      now: new Date(),
      cachedFacts: async (nodes) => (await facts.toFetch(nodes, false)).cached,
      lastExecs: (nodes) => this.#deps.executions.latestFor(nodes),
      probe: async (nodes) => {
        // Nodes never read, drawn without --check, cost the node rate limit here (--check paid for its reads above).
        if (check !== 'reach' && isPolicySubject(ctx.subject)) await this.#deps.nodeRateLimiter?.take(subjectId(ctx.subject), nodes.length);
        const plan = await facts.toFetch(nodes, true);
        return (await facts.read(nodes, plan, this.#stream<Facts>(ctx, nodes.length, timeoutMs))).fetched;
      },
      exec: async (nodes, reader) => {
        const commandFor = commands.get(reader);
        const command = (n: LabNode) => commandFor?.get(nodeKey(n)) ?? reader.command;
        const outcomes = await this.#byCommand(nodes, command, (group, cmd) =>
          this.#deps.exec.exec(group, cmd, reader.format, this.#stream<ExecResult>(ctx, nodes.length, timeoutMs)),
        );
        await this.#deps.executions.recordMany(
          outcomes.map((o) => ({
            requestId: ctx.requestId,
            lab: o.node.lab,
            name: o.node.name,
            command: command(o.node),
            ok: o.status === 'ok',
            errorCode: o.error?.code,
            durationMs: o.durationMs,
            outputBytes: o.value ? Buffer.byteLength(o.value.output) : 0,
            startedAt: o.startedAt,
          })),
        );
        return outcomes;
      },
    });
    const count = (state: string) => graph.nodes.filter((n) => n.external !== true && n.state === state).length;
    await this.#audit(ctx, request, 'graph', count('unreachable') > 0 ? 'partial' : 'ok', targets, {
      nodes: { reachable: count('reachable'), unreachable: count('unreachable'), unknown: count('unknown') },
      links: graph.links.length,
      ...(check === 'ospf' || check === 'bgp' ? { linksDown: graph.links.filter((l) => l.adjacency?.verdict === 'down').length } : {}),
    });
    return { kind: 'graph', graph, request };
  }

  async #dryRun(request: RequestOf<'config'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const ready = await this.#prepareConfig(request, ctx);
    if ('result' in ready) return ready.result;
    const { targets, resolved } = ready;
    const vet = configGuard(this.#deps.policy(), ctx.subject);
    const planned = await planOnNodes(this.#deps.access, targets, resolved.source, request.method, this.#stream<Plan>(ctx, targets.length, undefined));
    const outcomes = planned.map((o) => vetOutcome(o, vet));
    await this.#audit(ctx, request, 'plan', outcomeWord(outcomes), targets, {
      counts: countByStatus(outcomes, NODE_STATUSES),
      changed: outcomes.filter((o) => o.value && o.value.diff !== '').length,
      checkFailed: outcomes.filter((o) => o.value && !o.value.check.ok).length,
    });
    const source = resolved.source;
    return {
      kind: 'plan',
      method: request.method,
      sourceLabel: resolved.label,
      outcomes,
      ...(source.type === 'template' ? { rendered: renderedByNode(source) } : {}),
    };
  }

  /**
   * The prelude of every verb that touches devices: resolve the targets, authorize the action on
   * every one of them (a denial is audited and returned), then take a token from the caller's rate limit.
   */
  async #admit(
    request: RequestOf<'exec' | 'config' | 'rollback' | 'backup' | 'render' | 'drift'>,
    ctx: RequestContext & { requestId: string },
  ): Promise<{ targets: LabNode[]; decision: Decision } | { denied: RequestResult }> {
    // Without any role, a typo must not answer with "did you mean" and the names of real nodes.
    const anyRole = authorize(this.#deps.policy(), ctx.subject, { type: 'read', what: 'labs' }, []);
    if (!anyRole.allowed) {
      // The audit row still names the nodes when the selector matched some; the caller is told nothing about them.
      let named: LabNode[] = [];
      try {
        named = selectNodes(this.#deps.inventory.nodes(), request.selector);
      } catch {
        named = [];
      }
      return { denied: await this.#denied(request, ctx, anyRole, named) };
    }
    const targets = this.#select(request.selector, ctx);
    const decision = authorize(this.#deps.policy(), ctx.subject, actionFor(request), targets);
    if (!decision.allowed) return { denied: await this.#denied(request, ctx, decision, targets) };
    if (isPolicySubject(ctx.subject)) await this.#deps.nodeRateLimiter?.take(subjectId(ctx.subject), targets.length);
    return { targets, decision };
  }

  /** config (dry run or proposal): admit, read the source (or ask for it), audit, announce the start. */
  async #prepareConfig(
    request: RequestOf<'config'>,
    ctx: RequestContext & { requestId: string },
  ): Promise<{ targets: LabNode[]; resolved: LabelledSource } | { result: RequestResult }> {
    const admitted = await this.#admit(request, ctx);
    if ('denied' in admitted) return { result: admitted.denied };
    const { targets, decision } = admitted;
    const resolved = this.#source(request, targets, ctx);
    if (!resolved) return { result: { kind: 'needs-config', request } };
    await this.#audit(ctx, request, 'request', 'allowed', targets, {
      rule: decision.rule,
      source: resolved.label,
      sha256: resolved.source.type === 'text' || resolved.source.type === 'template' ? resolved.source.sha256 : undefined,
      ...(resolved.source.type === 'template' ? { rendered: Object.fromEntries(Object.entries(resolved.source.rendered).map(([k, r]) => [k, r.sha256])) } : {}),
    });
    await ctx.onStart?.({ request, targets });
    return { targets, resolved };
  }

  /** `config` without --dry-run: a change request that commits only after approval (DESIGN.md §6). */
  async #propose(request: RequestOf<'config'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const ready = await this.#prepareConfig(request, ctx);
    if ('result' in ready) return ready.result;
    const { targets, resolved } = ready;
    const change = await this.#deps.changes.propose({
      requestId: ctx.requestId,
      requester: person(ctx),
      channel: ctx.channel,
      targets,
      source: resolved.source,
      method: request.method,
      confirmMinutes: request.confirmMinutes,
      check: request.check,
      comment: request.comment,
      requiredApprovals: approvalsRequired(this.#deps.policy()),
      signal: ctx.signal,
      vet: configGuard(this.#deps.policy(), ctx.subject),
    });
    return { kind: 'change', change, event: 'proposed' };
  }

  async #proposeRollback(request: RequestOf<'rollback'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const admitted = await this.#admit(request, ctx);
    if ('denied' in admitted) return admitted.denied;
    const { targets, decision } = admitted;
    await this.#audit(ctx, request, 'request', 'allowed', targets, { rule: decision.rule });
    await ctx.onStart?.({ request, targets });
    const change = await this.#deps.changes.proposeRollback({
      requestId: ctx.requestId,
      requester: person(ctx),
      channel: ctx.channel,
      targets,
      index: request.index,
      requiredApprovals: approvalsRequired(this.#deps.policy()),
      signal: ctx.signal,
      vet: configGuard(this.#deps.policy(), ctx.subject),
    });
    return { kind: 'change', change, event: 'rollback-proposed' };
  }

  /**
   * `backup`: save the running configurations of the selected nodes, or read what was saved.
   * Both read configuration, so both need `config: plan` on every node (actionFor).
   */
  async #backup(request: RequestOf<'backup'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    if (request.action === 'export' && ctx.source === 'slack') {
      throw new UsageError('backup export writes files on the host that runs clab-bot, so it runs in the terminal only', {
        hint: 'in Slack, `backup show NODE` shows a saved configuration; run `clab-bot backup export SELECTOR --dir DIR` on the bot host',
      });
    }
    const admitted = await this.#admit(request, ctx);
    if ('denied' in admitted) return admitted.denied;
    const { targets, decision } = admitted;
    const { repo, keepVersions, keepDays } = this.#deps.backups;
    const done = async (backup: BackupResult, event: string, outcome: string, nodes: readonly LabNode[], detail: Record<string, unknown>) => {
      await this.#audit(ctx, request, event, outcome, nodes, detail);
      return { kind: 'backup', backup } as const;
    };
    switch (request.action) {
      case 'save': {
        await this.#audit(ctx, request, 'request', 'allowed', targets, { rule: decision.rule });
        await ctx.onStart?.({ request, targets });
        const me = person(ctx);
        const outcomes = await backupNodes(
          this.#deps.access,
          repo,
          targets,
          { takenBy: me.name ?? me.id, reason: ctx.backupOrigin ?? BACKUP_ORIGIN.manual, keep: keepVersions, keepDays },
          this.#stream<SaveOutcome>(ctx, targets.length, this.#deps.limits.execTimeoutSec * 1000),
        );
        const saved = outcomes.filter((o) => o.value?.status === 'saved');
        return done({ action: 'save', outcomes }, 'backup', outcomeWord(outcomes), targets, {
          counts: countByStatus(outcomes, NODE_STATUSES),
          saved: saved.map((o) => `${nodeKey(o.node)}@${o.value!.version}`),
          unchanged: outcomes.filter((o) => o.value?.status === 'unchanged').length,
        });
      }
      case 'list': {
        const node = oneNode(targets, 'list');
        const versions = await repo.list(node);
        return done({ action: 'list', node: { lab: node.lab, name: node.name }, versions }, 'request', 'allowed', [node], { rule: decision.rule });
      }
      case 'show': {
        const node = oneNode(targets, 'show');
        const backup = await showBackup(repo, node, request.versions[0]);
        return done({ action: 'show', backup }, 'request', 'allowed', [node], { rule: decision.rule, version: backup.version });
      }
      case 'diff': {
        const node = oneNode(targets, 'diff');
        const diff = await diffBackups(repo, { lab: node.lab, name: node.name }, request.versions);
        return done(diff, 'request', 'allowed', [node], { rule: decision.rule, from: diff.from.version, to: diff.to.version });
      }
      case 'export': {
        const exported = await exportBackups(repo, targets, request.dir ?? '.', ctx.localFilesFrom ?? process.cwd());
        return done(exported, 'export', exported.missing.length === 0 ? 'ok' : exported.files.length === 0 ? 'failed' : 'partial', targets, {
          rule: decision.rule,
          dir: exported.dir,
          files: exported.files.length,
          missing: exported.missing.map(nodeKey),
        });
      }
      default:
        return request.action satisfies never;
    }
  }

  /**
   * `drift`: each node's running configuration against its baseline (the newest saved version).
   * Reads configuration, so it needs `config: plan` like backup (actionFor).
   */
  async #drift(request: RequestOf<'drift'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const admitted = await this.#admit(request, ctx);
    if ('denied' in admitted) return admitted.denied;
    const { targets, decision } = admitted;
    await this.#audit(ctx, request, 'request', 'allowed', targets, { rule: decision.rule });
    await ctx.onStart?.({ request, targets });
    const outcomes = await checkDrift(
      this.#deps.access,
      this.#deps.backups.repo,
      targets,
      this.#stream<DriftValue>(ctx, targets.length, this.#deps.limits.execTimeoutSec * 1000),
    );
    const counts = countByStatus(outcomes.map((o) => ({ status: driftStatusOf(o) })), DRIFT_STATUSES);
    await this.#audit(ctx, request, 'drift', outcomeWord(outcomes), targets, {
      counts,
      drifted: outcomes.filter((o) => o.value?.status === 'drifted').map((o) => nodeKey(o.node)),
    });
    return { kind: 'drift', outcomes };
  }

  /**
   * The Adopt button of a drift report: the node's running configuration, if it is still the one
   * the report showed, becomes its baseline. Authorized again for the presser like `drift` itself.
   */
  async adoptDrift(ref: NodeRef, runningSha256: string, ctx: RequestContext): Promise<RequestResult> {
    const requestId = ctx.requestId ?? randomUUID();
    const full = { ...ctx, requestId };
    const request: RequestOf<'drift'> = { verb: 'drift', selector: { names: [nodeKey(ref)] } };
    try {
      const admitted = await this.#admit(request, full);
      if ('denied' in admitted) return admitted.denied;
      const node = admitted.targets[0]!;
      const me = person(full);
      const who = me.name ?? me.id;
      const { repo, keepVersions, keepDays } = this.#deps.backups;
      const saved = await adoptDrift(this.#deps.access, repo, node, runningSha256, { who, keep: keepVersions, keepDays }, ctx.signal);
      await this.#audit(full, request, 'adopt', 'ok', [node], { rule: admitted.decision.rule, version: saved.version, sha256: saved.sha256 });
      return { kind: 'drift-adopted', node: { lab: node.lab, name: node.name }, version: saved.version, by: who };
    } catch (err) {
      const error = asClabBotError(err);
      if (error.code === 'internal') this.#deps.logger.error({ err, requestId }, 'adopt failed');
      await this.#auditSafe({ requestId, ctx, request, event: 'adopt', outcome: 'error', detail: { node: nodeKey(ref), code: error.code, message: error.message } });
      return { kind: 'error', error };
    }
  }

  /**
   * The Restore button of a drift report: a change whose candidate is the node's baseline, loaded
   * so that it replaces the whole configuration (override), through the normal approval. Proposing
   * it needs `config: apply` on the node, like any change.
   */
  async restoreDrift(ref: NodeRef, ctx: RequestContext): Promise<RequestResult> {
    const requestId = ctx.requestId ?? randomUUID();
    const full = { ...ctx, requestId };
    const request: RequestOf<'drift'> = { verb: 'drift', selector: { names: [nodeKey(ref)] } };
    try {
      const targets = this.#select(request.selector, full);
      const decision = authorize(this.#deps.policy(), ctx.subject, { type: 'config', stage: 'apply' }, targets);
      if (!decision.allowed) return this.#denied(request, full, decision, targets);
      const node = targets[0]!;
      const baseline = await this.#deps.backups.repo.get(node);
      if (baseline === undefined) throw new BackupNotFoundError(node);
      const method = await restoreMethod(this.#deps.access, node, ctx.signal);
      await this.#audit(full, request, 'restore', 'allowed', [node], { rule: decision.rule, version: baseline.version });
      const change = await this.#deps.changes.propose({
        requestId,
        requester: person(full),
        channel: ctx.channel,
        targets: [node],
        source: { type: 'text', content: baseline.content },
        method,
        comment: `restore ${nodeKey(node)} to backup version ${baseline.version} (${baseline.reason}) after drift`,
        requiredApprovals: approvalsRequired(this.#deps.policy()),
        signal: ctx.signal,
        vet: configGuard(this.#deps.policy(), ctx.subject),
      });
      return { kind: 'change', change, event: 'proposed' };
    } catch (err) {
      const error = asClabBotError(err);
      if (error.code === 'internal') this.#deps.logger.error({ err, requestId }, 'restore failed');
      await this.#auditSafe({ requestId, ctx, request, event: 'restore', outcome: 'error', detail: { node: nodeKey(ref), code: error.code, message: error.message } });
      return { kind: 'error', error };
    }
  }

  /** `change ID [approve|reject|cancel|replan|resolve]`, and the buttons: each authorized again for whoever acts. */
  async #change(request: RequestOf<'change'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    // Without any role nobody learns whether change N exists.
    const denied = request.action === undefined ? await this.#read(request, ctx) : await this.#gate(request, ctx, []);
    if (denied) return denied;
    const changes = this.#deps.changes;
    const current = await changes.get(request.id);
    const targets = this.#changeTargets(current);
    const policy = this.#deps.policy();
    const me = person(ctx);
    switch (request.action) {
      case undefined:
        return { kind: 'change', change: this.#inSight(current, targets, ctx.subject), event: 'shown' };
      case 'approve': {
        // Not planned any more (a second click, another approver was faster): the service says so plainly.
        if (current.state !== 'planned') return { kind: 'change', change: await changes.approve(request.id, me, { selfApproval: false }), event: 'approved' };
        const decision = authorize(policy, ctx.subject, approveAction(current), targets);
        if (!decision.allowed) return this.#denied(request, ctx, decision, targets);
        const check = await this.#checkCommands(current, targets, ctx);
        if ('denied' in check) return this.#denied(request, ctx, check.denied, targets);
        // The unbound terminal operator is trusted: it may approve its own change (DESIGN.md §7).
        const selfApproval = !isPolicySubject(ctx.subject) || (policy?.approvals.self_approval ?? false);
        const change = await changes.approve(request.id, me, {
          selfApproval,
          ...(ctx.changeVersion !== undefined ? { version: ctx.changeVersion } : {}),
          ...(check.commands === undefined ? {} : { checkCommands: check.commands }),
        });
        return { kind: 'change', change, event: 'approved' };
      }
      case 'reject': {
        // The requester may withdraw; otherwise rejecting is an approver's call on these nodes.
        if (me.id !== current.requester.id) {
          const decision = authorize(policy, ctx.subject, { type: 'approve', requesterId: '', alreadyApprovedBy: [] }, targets);
          if (!decision.allowed) return this.#denied(request, ctx, decision, targets);
        }
        return { kind: 'change', change: await changes.reject(request.id, me), event: 'rejected' };
      }
      case 'cancel':
        return { kind: 'change', change: await changes.cancel(request.id, me, { isAdmin: this.isAdmin(ctx.subject) }), event: 'cancelled' };
      case 'replan': {
        // Planning again is what proposing did: whoever may plan config on these nodes may re-plan.
        const decision = authorize(policy, ctx.subject, { type: 'config', stage: 'plan' }, targets);
        if (!decision.allowed) return this.#denied(request, ctx, decision, targets);
        // The guard rails of the requester (whose change it stays) and of whoever re-plans both apply.
        const guards = [configGuard(policy, await this.#requesterSubject(current, ctx)), configGuard(policy, ctx.subject)];
        const vet: PlanVet = (node, plan) => guards.map((g) => g?.(node, plan)).find((p) => p !== undefined);
        return { kind: 'change', change: await changes.replan(request.id, me, { ...(ctx.signal ? { signal: ctx.signal } : {}), vet }), event: 'replanned' };
      }
      case 'resolve': {
        // Recording what the devices hold, without the bot having seen it, is an admin's word.
        const decision = authorize(policy, ctx.subject, { type: 'admin' }, []);
        if (!decision.allowed) return this.#denied(request, ctx, decision, targets);
        if (request.outcome === undefined) throw new UsageError(`change ${request.id} resolve needs --committed or --not-committed`);
        return { kind: 'change', change: await changes.resolve(request.id, me, { outcome: request.outcome, reason: request.reason }), event: 'resolved' };
      }
      default:
        return request.action satisfies never;
    }
  }

  /**
   * A change's --check command, authorized again at approval for its requester (grants may have
   * changed since the proposal, and the approver's press must not run what the requester could
   * not): per node, the command as normalised for its CLI, or the denial.
   */
  async #checkCommands(
    change: ChangeView,
    targets: readonly LabNode[],
    ctx: RequestContext,
  ): Promise<{ commands: ReadonlyMap<string, string> | undefined } | { denied: Decision }> {
    if (change.check === undefined) return { commands: undefined };
    const id = change.requester.id;
    const requester = await this.#requesterSubject(change, ctx);
    const decision = authorize(this.#deps.policy(), requester, { type: 'exec', command: change.check }, targets);
    if (!decision.allowed) {
      const reason = `change ${change.ref} runs \`${change.check}\` on its nodes after the commit (--check), which its requester ${change.requester.name ?? id} may not run now: ${decision.reason.replace(/; your roles: .*$/, '')}`;
      return { denied: { ...decision, reason } };
    }
    return { commands: new Map(decision.perTarget?.map((t) => [nodeKey(t), t.command ?? change.check ?? ''])) };
  }

  /**
   * A change as the viewer may see it: nodes outside every role they hold are left out (their
   * diffs would show configuration the viewer cannot reach), unless they are an admin.
   */
  #inSight(change: ChangeView, targets: readonly LabNode[], subject: Subject): ChangeView {
    if (!isPolicySubject(subject) || this.isAdmin(subject)) return change;
    const policy = this.#deps.policy();
    const visible = new Set(targets.filter((n) => nodeInSight(policy, subject, n)).map(nodeKey));
    if (visible.size === change.targets.length) return change;
    return {
      ...change,
      targets: change.targets.filter((t) => visible.has(t.key)),
      failing: change.failing.filter((f) => visible.has(f.node)),
    };
  }

  /** A change's requester as the policy sees them now (the front end reads their groups again). */
  async #requesterSubject(change: ChangeView, ctx: RequestContext): Promise<Subject> {
    const id = change.requester.id;
    if (ctx.subjectOf) return ctx.subjectOf(id, change.channel);
    return id === 'terminal' || id.startsWith('terminal:') ? terminalSubject(undefined, { id }) : slackSubject(id, { channelId: change.channel });
  }

  /** The Rollback button of a committed change: a new change rolling it back, through the same approval. */
  async rollbackChange(id: number, ctx: RequestContext): Promise<RequestResult> {
    const requestId = ctx.requestId ?? randomUUID();
    const full = { ...ctx, requestId };
    const request: Request = { verb: 'change', id };
    try {
      const current = await this.#deps.changes.get(id);
      const targets = this.#changeTargets(current);
      const decision = authorize(this.#deps.policy(), ctx.subject, { type: 'config', stage: 'apply' }, targets);
      if (!decision.allowed) return this.#denied(request, full, decision, targets);
      const change = await this.#deps.changes.rollbackChange(id, person(full), {
        requestId,
        ...(ctx.channel ? { channel: ctx.channel } : {}),
        requiredApprovals: approvalsRequired(this.#deps.policy()),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...vetOption(configGuard(this.#deps.policy(), ctx.subject)),
      });
      return { kind: 'change', change, event: 'rollback-proposed' };
    } catch (err) {
      const error = asClabBotError(err);
      if (error.code === 'internal') this.#deps.logger.error({ err, requestId }, 'rollback failed');
      return { kind: 'error', error };
    }
  }

  /** Every node, for a selection; with no labs at all, NoLabsError says where the bot looked. */
  #nodes(): readonly LabNode[] {
    const inventory = this.#deps.inventory;
    if (inventory.labs().length === 0) throw new NoLabsError(inventory.search());
    return inventory.nodes();
  }

  /** A change's nodes as the policy sees them; a node no longer in the inventory keeps only its name. */
  #changeTargets(change: ChangeView): LabNode[] {
    const byKey = new Map(this.#deps.inventory.nodes().map((n) => [nodeKey(n), n]));
    return change.targets.map((t) => byKey.get(t.key) ?? unknownNode(t.lab, t.node));
  }

  /** The grammar → model mapping of a source (reads --file); undefined when the content is still to be asked for. */
  #source(
    request: RequestOf<'config'>,
    targets: readonly LabNode[],
    ctx: RequestContext,
  ): LabelledSource | undefined {
    const s = request.source;
    switch (s.type) {
      case 'file': {
        const file = this.#readLabFile(s.path, targets, ctx);
        const format = request.method === 'set' ? { format: 'set' as const } : {};
        return { source: { type: 'text', content: file.content, ...format, sha256: file.sha256 }, label: `file ${s.path}` };
      }
      case 'template': {
        const { file, rendered } = this.#renderTemplate(s.path, s.vars, targets, ctx);
        const source: TemplateSource = {
          type: 'template',
          path: s.path,
          sha256: file.sha256,
          ...(request.method === 'set' ? { format: 'set' as const } : {}),
          rendered: Object.fromEntries(rendered.map((r) => [nodeKey(r.node), { content: r.content, sha256: r.sha256 }])),
        };
        return { source, label: `template ${s.path}` };
      }
      case 'device-file': {
        const problem = isPolicySubject(ctx.subject) ? deviceFileProblem(s.path, this.#deps.policy()?.config_sources.device_urls ?? false) : undefined;
        if (problem !== undefined) throw new DeviceFileError(problem);
        return { source: { type: 'device-file', path: s.path }, label: `device file ${s.path}` };
      }
      case 'rollback':
        return { source: { type: 'rollback', index: s.index }, label: `rollback ${s.index}` };
      case 'inline':
        if (ctx.inlineConfig === undefined) return undefined;
        if (ctx.inlineConfig.trim() === '')
          throw new UsageError('the pasted configuration is empty', { hint: 'paste the configuration to load, or give --file PATH' });
        return { source: { type: 'text', content: ctx.inlineConfig, ...(request.method === 'set' ? { format: 'set' as const } : {}) }, label: 'pasted config' };
      default:
        return s satisfies never;
    }
  }

  async #history(request: RequestOf<'history'>, ctx: RequestContext & { requestId: string }): Promise<RequestResult> {
    const everyone = this.isAdmin(ctx.subject);
    const targets = request.selector ? this.#select(request.selector, ctx).map(nodeKey) : undefined;
    const records = await this.#deps.audit.query({
      ...(everyone ? {} : { actor: subjectId(ctx.subject) }),
      ...(targets ? { targets } : {}),
      limit: request.limit,
    });
    // Recorded after the read, so a history never lists itself.
    await this.#audit(ctx, request, 'request', 'allowed', []);
    return { kind: 'history', records, everyone };
  }

  /**
   * The nodes a selector names. Its "did you mean" suggestions name real nodes and labs, so a
   * caller without any role gets the refusal without them.
   */
  #select(selector: Parameters<typeof selectNodes>[1], ctx: RequestContext): LabNode[] {
    try {
      return selectNodes(this.#nodes(), selector);
    } catch (err) {
      if (err instanceof UsageError && !authorize(this.#deps.policy(), ctx.subject, { type: 'read', what: 'labs' }, []).allowed) {
        throw new UsageError('no node matches that selector', {
          hint: 'you have no role, so node and lab names are not shown: ask a clab-bot admin for a grant',
        });
      }
      throw err;
    }
  }

  /** Read verbs need any role (or the trusted terminal); a denial is audited like any other. */
  async #gate(request: Request, ctx: RequestContext & { requestId: string }, targets: readonly LabNode[]): Promise<RequestResult | undefined> {
    const decision = authorize(this.#deps.policy(), ctx.subject, actionFor(request), targets);
    return decision.allowed ? undefined : this.#denied(request, ctx, decision, targets);
  }

  /** A read verb: denied (and audited) without a role; when allowed, the request is audited too. */
  async #read(request: Request, ctx: RequestContext & { requestId: string }): Promise<RequestResult | undefined> {
    const denied = await this.#gate(request, ctx, []);
    if (!denied) await this.#audit(ctx, request, 'request', 'allowed', []);
    return denied;
  }

  async #denied(request: Request, ctx: RequestContext & { requestId: string }, decision: Decision, targets: readonly LabNode[]): Promise<RequestResult> {
    await this.#audit(ctx, request, 'decision', 'denied', targets, { rule: decision.rule, reason: decision.reason, missing: decision.missing });
    return { kind: 'denied', decision };
  }

  #allowedVerbs(subject: Subject): Verb[] {
    const policy = this.#deps.policy();
    const verbs: Verb[] = ['help', 'whoami'];
    // Under a policy everyone may read their own history (denials included), as #history allows;
    // without one, only help and whoami run.
    if (policy !== null || !isPolicySubject(subject)) verbs.push('history');
    const can = (a: Action) => authorize(policy, subject, a, []).allowed;
    if (can({ type: 'read', what: 'labs' })) verbs.push('labs', 'nodes', 'graph', 'changes', 'change');
    if (can({ type: 'exec', command: 'show version' }) || can({ type: 'exec', command: '*' })) verbs.push('exec');
    if (can({ type: 'config', stage: 'plan' })) verbs.push('config', 'render', 'rollback', 'backup', 'drift');
    return verbs;
  }

  #stream<T>(ctx: RequestContext, total: number, perNodeTimeoutMs: number | undefined) {
    return {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(perNodeTimeoutMs ? { perNodeTimeoutMs } : {}),
      deadlineMs: this.#deps.limits.requestDeadlineSec * 1000,
      onOutcome: (o: NodeOutcome<T>, done: number) => ctx.onOutcome?.(o, done, total),
    };
  }

  /**
   * Nodes whose normalised commands differ (a Junos and an EOS node in one request) are run as
   * separate fan-outs; outcomes come back in target order.
   */
  async #byCommand<T>(
    targets: readonly LabNode[],
    commandOf: (n: LabNode) => string,
    run: (nodes: readonly LabNode[], command: string) => Promise<NodeOutcome<T>[]>,
  ): Promise<NodeOutcome<T>[]> {
    const groups = new Map<string, LabNode[]>();
    for (const n of targets) groups.set(commandOf(n), [...(groups.get(commandOf(n)) ?? []), n]);
    const results = (await Promise.all([...groups].map(([cmd, nodes]) => run(nodes, cmd)))).flat();
    const byKey = new Map(results.map((o) => [nodeKey(o.node), o]));
    return targets.map((n) => byKey.get(nodeKey(n))!);
  }

  async #audit(
    ctx: RequestContext & { requestId: string },
    request: Request,
    event: string,
    outcome: string,
    targets: readonly LabNode[],
    detail?: Record<string, unknown>,
  ) {
    await this.#deps.audit.append({
      requestId: ctx.requestId,
      actor: subjectId(ctx.subject),
      actorName: ctx.actorName,
      channel: ctx.channel ?? (ctx.source === 'slack' ? undefined : 'terminal'),
      event,
      verb: request.verb,
      command: formatRequest(request),
      targets: targets.map(nodeKey),
      outcome,
      detail,
    });
  }

  /** Auditing a failure must not hide the failure itself. */
  async #auditSafe(args: { requestId: string; ctx: RequestContext; request: Request; event: string; outcome: string; detail: Record<string, unknown> }) {
    try {
      await this.#audit({ ...args.ctx, requestId: args.requestId }, args.request, args.event, args.outcome, [], args.detail);
    } catch (err) {
      this.#deps.logger.error({ err, requestId: args.requestId }, 'could not write the audit log');
    }
  }
}

/** What `help` adds while no policy is set: why so little is listed, and how to open up more. */
const NO_POLICY_HELP = [
  'No permission policy is set, so only help and whoami work.',
  'To allow more, a clab-bot admin writes a policy file: roles (e.g. viewer: { exec: ["show *"] }) and grants binding them to user:U…, group:HANDLE, channel:C… or *.',
  `Check it with \`clab-bot policy check FILE\`, then ${NO_POLICY_HINT}.`,
].join('\n');

/** A source and how the request named it (`file r1.conf`, `pasted config`) for the audit row and the plan's heading. */
interface LabelledSource {
  readonly source: ConfigSource;
  readonly label: string;
}

/**
 * Who requested or approved, for change records and the commit comment. A terminal bound to a
 * Slack user (terminal_subject) acts as that user, so it is named by that identity, not the OS user.
 */
function vetOption(vet: PlanVet | undefined): { vet?: PlanVet } {
  return vet === undefined ? {} : { vet };
}

function person(ctx: RequestContext): Person {
  if (ctx.subject.kind === 'terminal' && isPolicySubject(ctx.subject)) {
    return { id: ctx.subject.userId, name: ctx.subject.userId };
  }
  return { id: subjectId(ctx.subject), ...(ctx.actorName ? { name: ctx.actorName } : {}) };
}

/** A target the inventory no longer lists: scoped rules by kind or label cannot match it, so they deny. */
function unknownNode(lab: string, name: string): LabNode {
  return {
    lab,
    name,
    longName: `clab-${lab}-${name}`,
    kind: 'unknown',
    vendor: 'unknown',
    driver: 'none',
    mgmtIpv4: undefined,
    mgmtIpv6: undefined,
    host: `clab-${lab}-${name}`,
    port: undefined,
    labels: {},
    group: undefined,
    image: undefined,
    labDir: '',
    source: 'change record',
    credentials: { username: '', password: '' },
  };
}

/** A template source's renderings as a plan shows them (each carries its sha256 from rendering). */
function renderedByNode(source: TemplateSource): Record<string, { content: string; sha256: string }> {
  return Object.fromEntries(Object.entries(source.rendered).map(([k, r]) => [k, { content: r.content, sha256: r.sha256 ?? '' }]));
}

function outcomeWord(outcomes: readonly NodeOutcome<unknown>[]): string {
  const c = countByStatus(outcomes, NODE_STATUSES);
  if (c.ok === outcomes.length) return 'ok';
  return c.ok === 0 ? 'failed' : 'partial';
}

/** Approving `change`: who asked for it and who approved it already decide whether one more approval counts. */
function approveAction(change: ChangeView): Action {
  return { type: 'approve', requesterId: change.requester.id, alreadyApprovedBy: change.approvals.map((a) => a.approver.id) };
}
