// Types for the browser build of the `qrcode` package (its `browser` field's lib/browser.js).
// @types/qrcode describes the Node build and pulls in Node's types, which client-web keeps out.
declare module 'qrcode/lib/browser.js' {
  export function toCanvas (canvas: HTMLCanvasElement, text: string, options?: { margin?: number, width?: number, errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): Promise<void>
}
