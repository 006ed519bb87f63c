/**
 * All kubelets of the cluster: one `Kubelet` per Node (started when the Node is created, stopped when it is
 * deleted), pod events dispatched by `spec.nodeName`, and the scenario's fault actions.
 */
import type { KObject } from '../../k8s/types.js';
import type { KubeletFleet, SimContext } from '../context.js';
import { Kubelet } from './kubelet.js';

/** The kubelets of all nodes. */
export class KubeletManager implements KubeletFleet {
  private readonly kubelets = new Map<string, Kubelet>();
  /** Nodes taken down (nodeDown) before their kubelet started: at t=0 events run before any reaction. */
  private readonly downBeforeStart = new Set<string>();

  /** Watches Nodes and Pods; the simulation stores it in `ctx.kubelets`. */
  constructor(private readonly ctx: SimContext) {
    ctx.store.watch('Node', (type, node) => {
      const name = node.metadata.name;
      if (type === 'ADDED') ctx.kernel.react(() => this.nodeAdded(node), `kubelet ${name} start`);
      else if (type === 'DELETED') ctx.kernel.react(() => this.nodeDeleted(node), `kubelet ${name} stop`);
    });
    ctx.store.watch('Pod', (type, pod) => {
      const node: string | undefined = pod.spec?.nodeName || undefined;
      if (!node) return;
      ctx.kernel.react(() => {
        this.kubelets.get(node)?.podEvent(pod, type === 'DELETED');
        this.flushProbeFails(pod);
      }, `kubelet ${node} pod`);
    });
  }

  private nodeAdded(node: KObject): void {
    if (this.ctx.store.get('Node', undefined, node.metadata.name) !== node) return;
    if (this.kubelets.has(node.metadata.name)) return;
    const k = new Kubelet(this.ctx, node);
    this.kubelets.set(node.metadata.name, k);
    k.start();
    // Taken down at this instant before the kubelet started: it registered (the node starts Ready), then stopped.
    if (this.downBeforeStart.delete(node.metadata.name)) k.down();
    // Pods bound before the node appeared (spec.nodeName at creation).
    for (const p of this.ctx.store.podsOnNode(node.metadata.name)) k.podEvent(p, false);
  }

  private nodeDeleted(node: KObject): void {
    const k = this.kubelets.get(node.metadata.name);
    if (!k) return;
    k.stop();
    this.kubelets.delete(node.metadata.name);
  }

  /** The kubelet of a node, if any (tests, tools). */
  kubelet(node: string): Kubelet | undefined {
    return this.kubelets.get(node);
  }

  /** {@inheritDoc KubeletFleet.nodeDown} */
  nodeDown(node: string): boolean {
    const k = this.kubelets.get(node);
    if (!k && this.ctx.store.get('Node', undefined, node) && !this.downBeforeStart.has(node)) {
      this.downBeforeStart.add(node);
      this.ctx.trace.add('node', 'kubelet stopped', `Node ${node}`);
      return true;
    }
    if (!k || !k.up) return false;
    k.down();
    this.ctx.trace.add('node', 'kubelet stopped', `Node ${node}`);
    return true;
  }

  /** {@inheritDoc KubeletFleet.nodeUp} */
  nodeUp(node: string): boolean {
    const k = this.kubelets.get(node);
    if (!k && this.downBeforeStart.delete(node)) {
      this.ctx.trace.add('node', 'kubelet restarted', `Node ${node}`);
      return true;
    }
    if (!k || k.up) return false;
    this.ctx.trace.add('node', 'kubelet restarted', `Node ${node}`);
    k.start();
    return true;
  }

  /** {@inheritDoc KubeletFleet.isUp} */
  isUp(node: string): boolean {
    return this.kubelets.get(node)?.up ?? false;
  }

  private workerOf(pod: KObject) {
    const node: string | undefined = pod.spec?.nodeName || undefined;
    return node ? this.kubelets.get(node)?.worker(pod.metadata.uid ?? '') : undefined;
  }

  /** {@inheritDoc KubeletFleet.crash} */
  crash(pod: KObject, container: string, exitCode: number): boolean {
    return this.workerOf(pod)?.crash(container, exitCode) ?? false;
  }

  /** {@inheritDoc KubeletFleet.probeFail} */
  probeFail(pod: KObject, container: string, probe: 'liveness' | 'readiness' | 'startup', untilMs: number | undefined): void {
    const w = this.workerOf(pod);
    if (w) {
      w.probeFail(container, probe, untilMs);
      return;
    }
    // Not on a kubelet yet (unscheduled, or bound at this very instant): the window applies once it is.
    const uid = pod.metadata.uid ?? '';
    const list = this.pendingProbeFails.get(uid) ?? [];
    list.push({ container, probe, untilMs });
    this.pendingProbeFails.set(uid, list);
  }

  /** probeFail actions on pods that had no pod worker yet, by pod uid. */
  private readonly pendingProbeFails = new Map<string, Array<{ container: string; probe: 'liveness' | 'readiness' | 'startup'; untilMs: number | undefined }>>();

  private flushProbeFails(pod: KObject): void {
    if (this.pendingProbeFails.size === 0) return;
    const uid = pod.metadata.uid ?? '';
    const list = this.pendingProbeFails.get(uid);
    if (!list) return;
    const w = this.workerOf(pod);
    if (!w) return;
    this.pendingProbeFails.delete(uid);
    for (const f of list) w.probeFail(f.container, f.probe, f.untilMs);
  }
}
