// A stacked bar chart of revenue by funding source, drawn on the server as inline SVG: no script, no
// library. Screen readers get a title and a description on the image and the same figures in a table.
import type { PageEnv } from '../../core/http/layout.js';
import type { FundingSource, RevenueSeries } from '../ledger/index.js';
import { formatMoney, money } from '../money.js';
import { SOURCE_LABELS } from './labels.js';
import { monthName, shortMonthName, yearMonthOf } from './month.js';

// Distinct in hue and in lightness, so neighbouring segments stay apart for most colour vision.
const COLOURS: Record<FundingSource, string> = {
  tip: '#1f77b4',
  membership: '#d95f02',
  fan_budget: '#1b9e77',
  bundle: '#7570b3',
  campaign: '#a6761d',
};

const WIDTH = 800;
const HEIGHT = 320;
const TOP = 28; // room for the total above the highest bar
const BOTTOM = 52; // room for a total under a negative bar, then the month names
const SIDE = 8;

/** Where one segment of one bar goes, in SVG units. */
export interface BarSegment {
  source: FundingSource;
  value: number;
  y: number;
  height: number;
}

/** One month's bar: its segments, its total and where the total's label sits. */
export interface Bar {
  month: string;
  x: number;
  width: number;
  total: number;
  segments: BarSegment[];
  labelY: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Lays out the bars. Positive amounts stack up from the zero line, negative ones (a month where refunds
 * outweigh payments) stack down from it, so every segment is drawn to the same scale.
 */
export function layoutBars(series: RevenueSeries): { bars: Bar[]; zeroY: number } {
  const values = (i: number) => series.sources.map((s) => ({ source: s.source, value: s.net[i] ?? 0 }));
  const sums = series.months.map((_, i) => values(i).reduce((acc, v) => ({ up: acc.up + Math.max(v.value, 0), down: acc.down + Math.min(v.value, 0) }), { up: 0, down: 0 }));
  const top = Math.max(0, ...sums.map((s) => s.up));
  const bottom = Math.min(0, ...sums.map((s) => s.down));
  const plot = HEIGHT - TOP - BOTTOM;
  const scale = top - bottom === 0 ? 0 : plot / (top - bottom);
  const zeroY = scale === 0 ? HEIGHT - BOTTOM : TOP + top * scale;
  const slot = (WIDTH - 2 * SIDE) / series.months.length;
  const bars = series.months.map((month, i) => {
    let up = 0;
    let down = 0;
    const segments: BarSegment[] = [];
    for (const { source, value } of values(i)) {
      if (value === 0) continue;
      const height = Math.abs(value) * scale;
      const y = value > 0 ? zeroY - (up + value) * scale : zeroY + Math.abs(down) * scale;
      if (value > 0) up += value;
      else down += value;
      segments.push({ source, value, y: round(y), height: round(height) });
    }
    const total = up + down;
    const labelY = total >= 0 ? zeroY - up * scale - 6 : zeroY - down * scale + 14;
    return { month, x: round(SIDE + slot * i + slot * 0.15), width: round(slot * 0.7), total, segments, labelY: round(labelY) };
  });
  return { bars, zeroY: round(zeroY) };
}

/** The legend: one swatch per source, in HTML so it wraps and reads as a list. */
function Legend({ env, series }: { env: PageEnv; series: RevenueSeries }) {
  return (
    <ul class="chart-legend">
      {series.sources.map((s) => (
        <li>
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
            <rect width="12" height="12" fill={COLOURS[s.source]} />
          </svg>{' '}
          {env.t(SOURCE_LABELS[s.source])}
        </li>
      ))}
    </ul>
  );
}

/** The figures of the chart as a table, for screen readers and anyone who wants exact numbers. */
function ChartTable({ env, series, caption }: { env: PageEnv; series: RevenueSeries; caption: string }) {
  const { t, locale } = env;
  const fmt = (amount: number) => formatMoney(money(amount, series.currency), locale);
  return (
    <details>
      <summary>{t('studio.revenue.chart_table')}</summary>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('studio.revenue.month')}</th>
            {series.sources.map((s) => (
              <th scope="col">{t(SOURCE_LABELS[s.source])}</th>
            ))}
            <th scope="col">{t('studio.revenue.total')}</th>
          </tr>
        </thead>
        <tbody>
          {series.months.map((month, i) => (
            <tr>
              <th scope="row">{monthName(yearMonthOf(month), locale)}</th>
              {series.sources.map((s) => (
                <td>{fmt(s.net[i] ?? 0)}</td>
              ))}
              <td>{fmt(series.sources.reduce((sum, s) => sum + (s.net[i] ?? 0), 0))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/**
 * One currency's net revenue by source and month: a stacked bar per month, labelled with its month and
 * its total, each segment titled with its source and amount; then a legend and the table of figures.
 */
export function RevenueChart({ env, series, id }: { env: PageEnv; series: RevenueSeries; id: string }) {
  const { t, locale } = env;
  const first = monthName(yearMonthOf(series.months[0]!), locale);
  const last = monthName(yearMonthOf(series.months.at(-1)!), locale);
  const title = t('studio.revenue.chart_title', { currency: series.currency, from: first, to: last });
  const desc = t('studio.revenue.chart_desc', {
    count: series.months.length,
    sources: series.sources.map((s) => t(SOURCE_LABELS[s.source])).join(', '),
  });
  const { bars, zeroY } = layoutBars(series);
  const fmt = (amount: number) => formatMoney(money(amount, series.currency), locale);
  return (
    <figure class="revenue-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`} font-size="11" fill="currentColor">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        <line x1={SIDE} x2={WIDTH - SIDE} y1={zeroY} y2={zeroY} stroke="currentColor" stroke-opacity="0.3" />
        {bars.map((bar) => {
          const month = yearMonthOf(bar.month);
          const centre = round(bar.x + bar.width / 2);
          return (
            <g class="bar">
              {bar.segments.map((s) => (
                <rect x={bar.x} y={s.y} width={bar.width} height={Math.max(s.height, 0.5)} fill={COLOURS[s.source]}>
                  <title>{t('studio.revenue.chart_segment', { source: t(SOURCE_LABELS[s.source]), month: monthName(month, locale), amount: fmt(s.value) })}</title>
                </rect>
              ))}
              <text x={centre} y={bar.labelY} text-anchor="middle">
                {fmt(bar.total)}
              </text>
              <text x={centre} y={HEIGHT - 12} text-anchor="middle">
                {shortMonthName(month, locale)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <Legend env={env} series={series} />
      </figcaption>
      <ChartTable env={env} series={series} caption={title} />
    </figure>
  );
}
