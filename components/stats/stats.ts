import { html, nothing, svg, type PropertyValues, type SVGTemplateResult, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { OpenDataFigure, OpenDataRow, OpenDataStatistics } from '../core/api.ts';
import { localize } from '../core/forms/definition.ts';
import { OveraApiError, OveraError } from '../client/errors.ts';
import { getOpenDataStatistics, openDataUrl, type OpenDataFilters } from '../client/statistics.ts';
import type { OveraClient } from '../client/client.ts';
import { formatDate, msg, problemMessage, type Lang } from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { statsMessages } from '../i18n/en/stats.ts';
import baseStyles from '../styles/base.styles.ts';
import styles from './stats.styles.ts';

/** Detail of `overa-stats-loaded`. */
export interface OveraStatsLoadedDetail {
  /** The figures as the server published them. */
  statistics: OpenDataStatistics;
}

/** What the element shows. */
export type OveraStatsState = 'loading' | 'error' | 'empty' | 'loaded';

interface ShownProblem {
  code: string;
  requestId?: string | undefined;
}

/** One chart: the months of one form (of one agency). */
interface Series {
  key: string;
  title: string;
  rows: OpenDataRow[];
}

// The chart's geometry, in SVG user units (the SVG scales to its box; no inline styles).
const PLOT_TOP = 22;
const PLOT_HEIGHT = 150;
const LEFT = 44;
const SLOT = 44;
const BAR = 28;
/** Room under the axis for the month and, under the first month of each year, the year. */
const BOTTOM = 46;
const MIN_WIDTH = 280;

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : lang);

/** `YYYY-MM` as a Date in UTC (formatted in UTC, so the month never shifts). */
function monthDate(month: string): Date {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1));
}

/** A round top for the axis: 1, 2 or 5 times a power of ten, at least `max`. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** A row with no request under a legal time limit: nothing to show, nothing suppressed. */
const NO_TIME_LIMIT: OpenDataFigure = { value: null, suppressed: false };

/**
 * An agency's service performance, as open data: requests per month for each service drawn as
 * a bar chart, and every figure in a table — requests, approvals, returns, rejections,
 * documents issued, and the median and 90th-percentile time to a decision. The figures come
 * from the server's `GET open-data/statistics.json`, which carries no personal data: numbers
 * below the server's minimum (5 by default) are withheld, and shown here as "fewer than 5".
 * Links offer the same figures as CSV and JSON.
 *
 * Each chart is one image for assistive technology (`role="img"`) whose label reads out every
 * month; each bar has a tooltip (`<title>`). The table holds every number, with a caption and
 * header cells that every cell names (`headers`). It fits its column: nine columns side by side
 * where there is room (a page's main column on a desktop), and on a phone each month becomes a
 * card of "label … figure" lines; nothing scrolls sideways. Drawn with SVG attributes only, so it
 * works under a `style-src 'self'` policy.
 *
 * @summary Service performance per month: a bar chart and a table, with no personal data.
 *
 * @fires overa-stats-loaded - The figures arrived (possibly none). `detail: { statistics }`.
 *
 * @csspart charts - The charts, one per service.
 * @csspart chart - One chart (an `<svg>`).
 * @csspart bar - A bar of a month (an SVG `<rect>`; `bar suppressed` when the number is withheld).
 * @csspart table - The table with every figure.
 * @csspart suppressed - A table cell whose number is withheld ("fewer than 5").
 * @csspart note - How the figures are counted and what is withheld.
 * @csspart downloads - The links to the CSV and JSON files.
 * @csspart empty - What is shown when there are no figures yet.
 * @csspart error - An error box.
 * @csspart status - The status line, a polite live region.
 *
 * @cssprop [--overa-color-primary=#1d70b8] - The bars.
 * @cssprop [--overa-color-focus=#ffdd00] - Focus ring colour.
 * @cssprop [--overa-color-danger=#d4351c] - Errors.
 * @cssprop [--overa-color-text=#0b0c0c] - Text colour, axis labels.
 * @cssprop [--overa-color-muted=#505a5f] - Secondary text, withheld bars.
 * @cssprop [--overa-color-link=#1d70b8] - Links.
 * @cssprop [--overa-color-surface=#ffffff] - Background.
 * @cssprop [--overa-font-family=inherit] - Font; by default the page's.
 * @cssprop [--overa-radius=4px] - Corner radius.
 * @cssprop [--overa-space=1rem] - Base spacing unit.
 */
export class OveraStats extends OveraElement<{ 'overa-stats-loaded': OveraStatsLoadedDetail }> {
  static override styles = [baseStyles, styles];
  static override messages = [commonMessages, statsMessages];

  /** Only this agency (its id); empty = every agency the server has. */
  @property({ reflect: true }) agency = '';

  /** Only this service (a form id); empty = every service. */
  @property({ reflect: true }) form = '';

  /** First month, `YYYY-MM`; empty = from the first request. */
  @property() from = '';

  /** Last month, `YYYY-MM`; empty = up to the latest request. */
  @property() to = '';

  @state() private phase: 'loading' | 'error' | 'ready' = 'loading';
  @state() private data: OpenDataStatistics | null = null;
  @state() private problem: ShownProblem | null = null;

  private run = 0;
  private abort: AbortController | null = null;

  /** What the element shows now. */
  get state(): OveraStatsState {
    if (this.phase !== 'ready') return this.phase;
    return this.data?.rows.length ? 'loaded' : 'empty';
  }

  /** The figures shown, once loaded. */
  get statistics(): OpenDataStatistics | null {
    return this.data;
  }

  /** Loads the figures again. */
  async refresh(): Promise<void> {
    await this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.run++;
    this.abort?.abort();
    this.abort = null;
  }

  protected override clientAttached(_client: OveraClient): void {
    void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const filtersChanged = changed.has('agency') || changed.has('form') || changed.has('from') || changed.has('to');
    if (this.hasUpdated && filtersChanged && this.client) void this.load();
  }

  private get filters(): OpenDataFilters {
    const filters: OpenDataFilters = {};
    if (this.agency.trim()) filters.agency = this.agency.trim();
    if (this.form.trim()) filters.form = this.form.trim();
    if (this.from.trim()) filters.from = this.from.trim();
    if (this.to.trim()) filters.to = this.to.trim();
    return filters;
  }

  private async load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const run = ++this.run;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.phase = 'loading';
    this.problem = null;
    try {
      const statistics = await getOpenDataStatistics(client, this.filters, abort.signal);
      if (run !== this.run) return;
      this.data = statistics;
      this.phase = 'ready';
      await this.updateComplete;
      this.emit('overa-stats-loaded', { statistics });
    } catch (err) {
      if (run !== this.run) return;
      this.data = null;
      // A filter the server refuses is the page's mistake, not the reader's: no "check the fields" here.
      const code = err instanceof OveraError && err.code !== 'validation' ? err.code : 'unknown';
      this.problem = { code, requestId: err instanceof OveraApiError ? err.requestId : undefined };
      this.phase = 'error';
    }
  }

  // ---------------------------------------------------------------- text

  private monthLong(lang: Lang, month: string): string {
    return new Intl.DateTimeFormat(locale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(monthDate(month));
  }

  /** The month under a bar ("Nov"): a two-digit year after it ("Nov 26") read like a day of the month. */
  private monthShort(lang: Lang, month: string): string {
    return new Intl.DateTimeFormat(locale(lang), { month: 'short', timeZone: 'UTC' }).format(monthDate(month));
  }

  private formTitle(lang: Lang, id: string): string {
    const title = this.data?.forms.find((f) => f.id === id)?.title;
    return title ? localize(title, lang) : msg(lang, 'stats.unknownForm', { form: id });
  }

  private agencyName(id: string): string {
    return this.data?.agencies.find((a) => a.id === id)?.name ?? id;
  }

  private count(lang: Lang, f: OpenDataFigure): string {
    return f.value === null ? msg(lang, 'stats.fewer', { min: this.data?.minCount ?? 5 }) : new Intl.NumberFormat(locale(lang)).format(f.value);
  }

  private days(lang: Lang, f: OpenDataFigure): string {
    if (f.value === null) return msg(lang, 'stats.fewer', { min: this.data?.minCount ?? 5 });
    return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(f.value);
  }

  /** The share decided within the legal time limit; a dash where no request of the row had one (or an older server). */
  private percent(lang: Lang, f: OpenDataFigure | undefined): string {
    if (!f || (f.value === null && !f.suppressed)) return msg(lang, 'stats.noTimeLimit');
    if (f.value === null) return msg(lang, 'stats.fewer', { min: this.data?.minCount ?? 5 });
    return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(f.value / 100);
  }

  /** What a bar says: "March 2026: 12 requests" / "…: fewer than 5 requests". */
  private barText(lang: Lang, row: OpenDataRow): string {
    const month = this.monthLong(lang, row.month);
    return row.submitted.value === null
      ? msg(lang, 'stats.barFewer', { month, min: this.data?.minCount ?? 5 })
      : msg(lang, 'stats.barValue', { month, count: row.submitted.value });
  }

  /** The charts: one per agency and form, its rows in month order (the server's order). */
  private series(lang: Lang): Series[] {
    const rows = this.data?.rows ?? [];
    const manyAgencies = new Set(rows.map((r) => r.agencyId)).size > 1;
    const out = new Map<string, Series>();
    for (const row of rows) {
      const key = `${row.agencyId}/${row.formId}`;
      let s = out.get(key);
      if (!s) {
        const title = this.formTitle(lang, row.formId);
        s = { key, title: manyAgencies ? `${title} — ${this.agencyName(row.agencyId)}` : title, rows: [] };
        out.set(key, s);
      }
      s.rows.push(row);
    }
    return [...out.values()];
  }

  // ---------------------------------------------------------------- render

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    const busy = this.phase === 'loading';
    return html`<div class="stats" lang=${lang} aria-busy=${busy ? 'true' : 'false'}>
      ${this.phase === 'error' ? this.renderError(lang) : nothing}
      ${this.phase === 'ready' ? this.renderFigures(lang) : nothing}
      <p part="status" class="status ${busy ? 'status--busy' : ''}" role="status">${busy ? msg(lang, 'stats.loading') : ''}</p>
    </div>`;
  }

  private renderError(lang: Lang): TemplateResult {
    const problem = this.problem;
    return errorSummary(lang, {
      title: msg(lang, 'error.title'),
      text: problemMessage(lang, problem?.code ?? 'unknown'),
      requestId: problem?.requestId,
      retry: { label: msg(lang, 'stats.retry'), onClick: () => void this.load(), className: 'secondary retry' },
    });
  }

  private renderFigures(lang: Lang): TemplateResult {
    const data = this.data!;
    if (data.rows.length === 0) {
      return html`<div part="empty" class="empty">
        <p class="empty-title">${msg(lang, 'stats.empty')}</p>
        <p class="hint">${msg(lang, 'stats.emptyHint')}</p>
      </div>`;
    }
    const series = this.series(lang);
    return html`<div part="charts" class="charts" role="group" aria-label=${msg(lang, 'stats.chartsLabel')}>
        ${series.map((s, i) => this.renderChart(lang, s, i))}
      </div>
      ${this.renderTable(lang, series)}
      <div part="note" class="note">
        <p>${msg(lang, 'stats.note', { min: data.minCount })}</p>
        <p>${msg(lang, 'stats.asOf', { date: formatDate(lang, data.asOf) })}</p>
      </div>
      <ul part="downloads" class="downloads" aria-label=${msg(lang, 'stats.downloadsLabel')}>
        <li><a href=${openDataUrl(this.server, 'csv', this.filters, lang)}>${msg(lang, 'stats.download', { format: 'CSV' })}</a></li>
        <li><a href=${openDataUrl(this.server, 'json', this.filters)}>${msg(lang, 'stats.download', { format: 'JSON' })}</a></li>
      </ul>`;
  }

  private renderChart(lang: Lang, series: Series, index: number): TemplateResult {
    const min = this.data?.minCount ?? 5;
    const values = series.rows.map((r) => r.submitted.value ?? 0);
    const top = niceMax(Math.max(min, ...values));
    const width = Math.max(MIN_WIDTH, LEFT + series.rows.length * SLOT + 8);
    const height = PLOT_TOP + PLOT_HEIGHT + BOTTOM;
    const y = (v: number) => PLOT_TOP + PLOT_HEIGHT - (v / top) * PLOT_HEIGHT;
    const numbers = new Intl.NumberFormat(locale(lang));
    const ticks = [0, top / 2, top].filter((t) => Number.isInteger(t));
    // Label every month when they fit, else every k-th (the label under a bar is for sighted readers; the bar's own title names it).
    const every = Math.max(1, Math.ceil(series.rows.length / 14));
    const summary = msg(lang, 'stats.chartSummary', { title: series.title, values: series.rows.map((r) => this.barText(lang, r)).join('; ') });
    const titleId = `chart-title-${index}`;
    return html`<figure class="chart">
      <figcaption id=${titleId} class="chart-title">${series.title}</figcaption>
      <svg part="chart" class="chart-svg" role="img" aria-label=${summary} viewBox="0 0 ${width} ${height}" width=${width} height=${height} focusable="false">
        ${ticks.map((t) => svg`<line class="grid" x1=${LEFT - 4} x2=${width} y1=${y(t)} y2=${y(t)}></line>
          <text class="axis-label" x=${LEFT - 8} y=${y(t) + 4} text-anchor="end">${numbers.format(t)}</text>`)}
        ${series.rows.map((row, i) => this.renderBar(lang, row, i, y, min, numbers, i % every === 0))}
        <line class="axis" x1=${LEFT} x2=${width} y1=${y(0)} y2=${y(0)}></line>
      </svg>
    </figure>`;
  }

  private renderBar(lang: Lang, row: OpenDataRow, i: number, y: (v: number) => number, min: number, numbers: Intl.NumberFormat, labelled: boolean): SVGTemplateResult {
    const x = LEFT + i * SLOT + (SLOT - BAR) / 2;
    const value = row.submitted.value;
    const withheld = value === null;
    // A withheld number is drawn as an outline up to the minimum: "somewhere below this line".
    const height = Math.max(1, y(0) - y(withheld ? min : value));
    const label = withheld ? `<${numbers.format(min)}` : numbers.format(value);
    return svg`<g class="bar-group">
      <rect part="bar${withheld ? ' suppressed' : ''}" class="bar ${withheld ? 'bar--suppressed' : ''}" x=${x} y=${y(0) - height} width=${BAR} height=${height}>
        <title>${this.barText(lang, row)}</title>
      </rect>
      <text class="value-label" x=${x + BAR / 2} y=${y(0) - height - 5} text-anchor="middle">${label}</text>
      ${labelled
        ? svg`<text class="month-label" x=${x + BAR / 2} y=${y(0) + 18} text-anchor="middle">${this.monthShort(lang, row.month)}</text>`
        : nothing}
      ${labelled && (i === 0 || row.month.endsWith('-01'))
        ? svg`<text class="month-label year-label" x=${x + BAR / 2} y=${y(0) + 34} text-anchor="middle">${row.month.slice(0, 4)}</text>`
        : nothing}
    </g>`;
  }

  /**
   * One table, a group of rows per service. Every cell names its headers (`headers`: the column,
   * the service, the month), the way WCAG's H43 does for a table with row groups: the service's
   * header spans its row and has no cell beside it, so without `headers` it would belong to no
   * cell (axe's th-has-data-cells could only say "needs review"). `data-label` is the column's
   * name for the narrow layout, where each month is a card (stats.styles.ts).
   */
  private renderTable(lang: Lang, series: Series[]): TemplateResult {
    const columns = [
      'stats.col.submitted', 'stats.col.approved', 'stats.col.returned', 'stats.col.rejected', 'stats.col.issued',
      'stats.col.finished', 'stats.col.median', 'stats.col.p90', 'stats.col.onTime',
    ] as const;
    const figures = (r: OpenDataRow): [string, OpenDataFigure][] => [
      [this.count(lang, r.submitted), r.submitted], [this.count(lang, r.approved), r.approved],
      [this.count(lang, r.returned), r.returned], [this.count(lang, r.rejected), r.rejected],
      [this.count(lang, r.issued), r.issued], [this.count(lang, r.finished), r.finished],
      [this.days(lang, r.medianDays), r.medianDays], [this.days(lang, r.p90Days), r.p90Days],
      [this.percent(lang, r.onTimePercent), r.onTimePercent ?? NO_TIME_LIMIT],
    ];
    return html`<div class="table-wrap">
      <table part="table">
        <caption id="stats-caption">${msg(lang, 'stats.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col" id="col-month">${msg(lang, 'stats.col.month')}</th>
            ${columns.map((c, i) => html`<th scope="col" id="col-${i}" class="num">${msg(lang, c)}</th>`)}
          </tr>
        </thead>
        ${series.map((s, si) => html`<tbody>
          <tr class="group">
            <th scope="rowgroup" id="group-${si}" colspan=${columns.length + 1}>${s.title}</th>
          </tr>
          ${s.rows.map((r, ri) => {
            const row = `row-${si}-${ri}`;
            return html`<tr>
              <th scope="row" id=${row} headers="col-month group-${si}">${this.monthLong(lang, r.month)}</th>
              ${figures(r).map(([text, f], i) => html`<td
                part=${f.suppressed ? 'suppressed' : nothing}
                class="num ${f.suppressed ? 'suppressed' : ''}"
                headers="col-${i} group-${si} ${row}"
                data-label=${msg(lang, columns[i]!)}
              >${text}</td>`)}
            </tr>`;
          })}
        </tbody>`)}
      </table>
    </div>`;
  }
}
