import type { Check } from '../checks/types.ts';

type Body = { instances?: { name?: string; messages?: { time?: string }[] }[] };

/**
 * PostgreSQL cluster logs: at most `limit` lines per instance, in the order `direction` asks
 * (FORWARD oldest first, BACKWARD newest first; BACKWARD is the default).
 */
export const logsLimitAndDirection: Check = {
  id: 'logs-limit-direction',
  description: 'Cluster logs honour limit and direction',
  applies: (exchange) => exchange.operation.id === 'clusterLogsGet' && exchange.response?.status === 200 && exchange.response.json !== undefined,
  relevantTo: (operation) => operation.id === 'clusterLogsGet',
  run(exchange) {
    const url = new URL(exchange.request.url);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const direction = url.searchParams.get('direction') ?? 'BACKWARD';
    const failures: string[] = [];
    for (const instance of (exchange.response!.json as Body).instances ?? []) {
      const messages = instance.messages ?? [];
      if (messages.length > limit) failures.push(`instance ${instance.name ?? '?'} returned ${messages.length} lines for limit=${limit}`);
      const times = messages.map((m) => Date.parse(m.time ?? '')).filter((t) => !Number.isNaN(t));
      const outOfOrder = times.findIndex((t, i) => i > 0 && (direction === 'FORWARD' ? t < times[i - 1]! : t > times[i - 1]!));
      if (outOfOrder > 0) failures.push(`instance ${instance.name ?? '?'}: line ${outOfOrder} is out of ${direction} order`);
    }
    return failures;
  },
};
