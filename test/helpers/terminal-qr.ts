// Reads back a QR code that `gini` drew in terminal half-block characters (peer/cli/terminal-qr.ts):
// each character cell is two modules, top and bottom, black on white; decoded with jsQR.
import jsQRModule from 'jsqr'

const ANSI = /\x1b\[[0-9;]*m/g // eslint-disable-line no-control-regex
/** Dark (top, bottom) of each half-block character. */
const CELLS: Record<string, [boolean, boolean]> = { ' ': [false, false], '▀': [true, false], '▄': [false, true], '█': [true, true] }
/** Pixels a module and white modules around the code, for jsQR. */
const PX = 6
const QUIET = 4

/** The lines of a printed QR code among `lines`: the first run of lines made of half blocks only. */
export function terminalQrLines (lines: string[]): string[] {
  const isQr = (l: string): boolean => {
    // The renderer's last line is its bottom quiet zone, in white on the terminal's background.
    if (l.includes('\x1b[37m')) return false
    const text = l.replace(ANSI, '')
    return text.length > 10 && [...text].every(ch => ch in CELLS)
  }
  const start = lines.findIndex(isQr)
  if (start < 0) return []
  let end = start
  while (end < lines.length && isQr(lines[end])) end++
  return lines.slice(start, end)
}

/** The text of the QR code drawn in `lines`, or undefined when they hold none jsQR can read. */
export function decodeTerminalQr (lines: string[]): string | undefined {
  const rows: boolean[][] = []
  for (const line of terminalQrLines(lines)) {
    const cells = [...line.replace(ANSI, '')].map(ch => CELLS[ch])
    rows.push(cells.map(c => c[0]), cells.map(c => c[1]))
  }
  if (rows.length === 0) return undefined
  const modules = Math.max(...rows.map(r => r.length))
  const side = (Math.max(modules, rows.length) + 2 * QUIET) * PX
  const data = new Uint8ClampedArray(side * side * 4).fill(255)
  rows.forEach((row, r) => {
    row.forEach((dark, c) => {
      if (!dark) return
      for (let dy = 0; dy < PX; dy++) {
        for (let dx = 0; dx < PX; dx++) {
          const i = (((QUIET + r) * PX + dy) * side + (QUIET + c) * PX + dx) * 4
          data[i] = data[i + 1] = data[i + 2] = 0
        }
      }
    })
  })
  // jsqr is CommonJS: under NodeNext its function is the module's `default`.
  return jsQRModule.default(data, side, side)?.data
}

/**
 * Waits (bounded by `ms`) until `gini invite --qr` in human mode (`lines`: its stdout so far) has
 * printed its code and the whole QR code; resolves with the QR's text, rejects on `exited` or time.
 */
export async function waitForTerminalQr (proc: { lines: string[], stderr: string[], exited: Promise<unknown> }, ms = 30_000): Promise<string> {
  const state = { exited: false }
  void proc.exited.then(() => { state.exited = true })
  for (const deadline = Date.now() + ms; Date.now() < deadline && !state.exited;) {
    // The QR's last line (its bottom quiet zone) is printed in white: after it the code is complete.
    if (proc.lines.some(l => l.includes('It is valid for')) && proc.lines.some(l => l.includes('\x1b[37m'))) {
      const text = decodeTerminalQr(proc.lines)
      if (text != null) return text
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`no QR code read within ${ms} ms; stdout: ${proc.lines.join(' | ')}; stderr: ${proc.stderr.join('')}`)
}
