import { FakeGitHub, type GitHubRoute } from './fake-github.js';
import type { FakeRequest, RouteMatch } from './http-fake.js';

/**
 * A fake GitHub that can hold the first `parties` requests of a route until all of them have
 * arrived, then answer them in arrival order: it makes two runs interleave at exactly that step.
 */
export class GatedGitHub extends FakeGitHub {
  readonly #gates = new Map<GitHubRoute, { parties: number; arrived: number; open: Promise<void>; release: () => void }>();

  gate(route: GitHubRoute, parties: number): void {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#gates.set(route, { parties, arrived: 0, open: promise, release: resolve });
  }

  protected override async handle(match: RouteMatch<GitHubRoute>, request: FakeRequest): Promise<void> {
    const gate = this.#gates.get(match.route);
    if (gate && gate.arrived < gate.parties) {
      gate.arrived++;
      if (gate.arrived === gate.parties) gate.release();
      // Never hang the suite: a run that does not come releases the gate after a while.
      await Promise.race([gate.open, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    }
    return super.handle(match, request);
  }
}
