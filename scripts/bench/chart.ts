// A small SVG bar chart drawn from the benchmark's numbers (no plotting dependency): one panel per
// comparison, one horizontal bar per contender, GiniConnect in blue, Magic Wormhole in grey.

export interface Bar {
  label: string
  value: number
  ours: boolean
  /** Printed after the value, e.g. "p95 410". */
  note?: string
}

export interface Panel {
  title: string
  unit: string
  better: 'lower' | 'higher'
  bars: Bar[]
}

const WIDTH = 760
const LABEL_W = 250
const VALUE_W = 210
const BAR_H = 20
const GAP = 6
const PANEL_GAP = 22
const TITLE_H = 22

function esc (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function fmt (v: number): string {
  if (!Number.isFinite(v)) return '–'
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}

export function barChart (title: string, subtitle: string, panels: Panel[]): string {
  const plotW = WIDTH - LABEL_W - VALUE_W - 20
  let y = 54
  const parts: string[] = []
  for (const panel of panels) {
    const bars = panel.bars.filter(b => Number.isFinite(b.value))
    if (bars.length === 0) continue
    parts.push(`<text x="10" y="${y + 15}" class="panel">${esc(panel.title)} <tspan class="hint">(${esc(panel.unit)}, ${panel.better} is better)</tspan></text>`)
    y += TITLE_H + 4
    const max = Math.max(...bars.map(b => b.value))
    for (const b of bars) {
      const w = max > 0 ? Math.max(2, (b.value / max) * plotW) : 2
      parts.push(
        `<text x="${LABEL_W - 8}" y="${y + 14}" class="label" text-anchor="end">${esc(b.label)}</text>`,
        `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" rx="3" class="${b.ours ? 'ours' : 'them'}"/>`,
        `<text x="${LABEL_W + w + 6}" y="${y + 14}" class="value">${fmt(b.value)} ${esc(panel.unit)}${b.note != null ? ` · ${esc(b.note)}` : ''}</text>`
      )
      y += BAR_H + GAP
    }
    y += PANEL_GAP
  }
  const height = y + 10
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    '<style>.title{font-size:17px;font-weight:bold;fill:#222}.sub{font-size:11px;fill:#555}.panel{font-size:13px;font-weight:bold;fill:#222}' +
      '.hint{font-weight:normal;fill:#666}.label{font-size:12px;fill:#222}.value{font-size:11px;fill:#333}.ours{fill:#2f6fd8}.them{fill:#9a9a9a}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="24" class="title">${esc(title)}</text>`,
    `<text x="10" y="42" class="sub">${esc(subtitle)}</text>`,
    ...parts,
    '</svg>',
    ''
  ].join('\n')
}
