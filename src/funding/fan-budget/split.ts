// The fan-budget split (funding/CONTEXT.md, "The monthly fan budget"): the money is divided equally
// among the month's clicks; a creator's share is the sum of their clicks' shares.
import { splitLargestRemainder } from '../money.js';

/** One supported item of a charge, in the charge's line order. */
export interface SplitItem {
  line: number;
  channel_id: string;
}

/** How many of the charge's clicks each creator got: the ledger's split weights (channel id order). */
export function creatorWeights(items: readonly SplitItem[]): { channelId: string; weight: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.channel_id, (counts.get(item.channel_id) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([channelId, weight]) => ({ channelId, weight }));
}

/**
 * Shares one creator's part of a charge (gross or net, in minor units) among that creator's items of
 * the charge: equally, by largest remainder, the leftover units going to the earliest lines. Returns
 * amounts in the order of `lines`.
 */
export function splitAmongItems(amount: number, lines: readonly number[]): number[] {
  const order = [...lines].sort((a, b) => a - b);
  const shares = splitLargestRemainder(amount, order.map(() => 1));
  return lines.map((line) => shares[order.indexOf(line)]!);
}

/**
 * What a fan sees before the month closes: each click's part of the budget after an estimate of the
 * processor's fee (`feeBps` + `feeFixed`) and the platform fee, rounded down. An estimate: the real
 * processor fee is known only when the charge succeeds.
 */
export function previewPerClick(budget: number, clicks: number, fee: { feeBps: number; feeFixed: number; platformFeeBps: number }): number {
  if (clicks <= 0) return 0;
  const processor = Math.min(budget, Math.ceil((budget * fee.feeBps) / 10_000) + fee.feeFixed);
  const reaching = budget - processor;
  const net = reaching - Math.floor((reaching * fee.platformFeeBps) / 10_000);
  return Math.floor(net / clicks);
}
