// A QR code drawn in terminal block characters, for `gini safety-number` (docs/protocol.md §18) and
// `gini invite --qr` (§4.4). Its own file so only those commands load `qrcode`.
import QRCode from 'qrcode'

/** `payload` as a QR code (error correction M) in half-block characters, two modules a character cell. */
export async function terminalQr (payload: string): Promise<string> {
  return await QRCode.toString(payload, { type: 'terminal', small: true, errorCorrectionLevel: 'M' })
}
