// Reading a QR code from a picture or a camera frame: the browser's BarcodeDetector where it has
// one for QR codes, else (and when it finds nothing) jsQR, a pure-JS decoder, on the pixels.
import jsQR from 'jsqr'

/** Longest side a picture is scaled down to before jsQR reads it (a phone photo is ~4000 px). */
const MAX_SIDE_PX = 1280

interface Detector { detect (source: ImageBitmapSource): Promise<Array<{ rawValue: string }>> }

let native: Promise<Detector | undefined> | undefined

/** The browser's QR detector, or undefined (Chromium on Linux and Firefox have none). */
async function nativeDetector (): Promise<Detector | undefined> {
  native ??= (async () => {
    const Ctor = (globalThis as any).BarcodeDetector
    if (typeof Ctor !== 'function') return undefined
    try {
      const formats: string[] = await Ctor.getSupportedFormats()
      return formats.includes('qr_code') ? new Ctor({ formats: ['qr_code'] }) as Detector : undefined
    } catch {
      return undefined
    }
  })()
  return await native
}

/** The text of the first QR code in `source`, or undefined when none is found. */
export async function readQr (source: ImageBitmap | HTMLVideoElement): Promise<string | undefined> {
  const detector = await nativeDetector()
  if (detector != null) {
    try {
      const found = await detector.detect(source)
      if (found.length > 0) return found[0].rawValue
    } catch {}
  }
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height
  if (width === 0 || height === 0) return undefined
  const scale = Math.min(1, MAX_SIDE_PX / Math.max(width, height))
  const w = Math.max(1, Math.round(width * scale))
  const ht = Math.max(1, Math.round(height * scale))
  const canvas = document.createElement('canvas')
  canvas.width = w
  canvas.height = ht
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (ctx == null) return undefined
  ctx.drawImage(source, 0, 0, w, ht)
  const pixels = ctx.getImageData(0, 0, w, ht)
  return jsQR(pixels.data, w, ht)?.data
}

/** A picture the user chose that is not an image the browser can open. */
export class NotAPictureError extends Error {
  constructor () {
    super('This file is not a picture the browser can open. Choose a photo or screenshot of the QR code.')
    this.name = 'NotAPictureError'
  }
}

/** The text of the first QR code in an image file, or undefined when it shows none. */
export async function readQrFromFile (file: Blob): Promise<string | undefined> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    throw new NotAPictureError()
  }
  try {
    return await readQr(bitmap)
  } finally {
    bitmap.close()
  }
}

/** How often a camera frame is read: often enough to feel instant, rarely enough to keep a phone cool. */
const FRAME_EVERY_MS = 250

/**
 * Reads QR codes from the camera into `video` until `onText` returns true, `stop()` is called or the
 * video leaves the page. Rejects when there is no camera or the user refused it.
 */
export async function scanCamera (video: HTMLVideoElement, onText: (text: string) => boolean | Promise<boolean>): Promise<{ stop: () => void }> {
  if (navigator.mediaDevices?.getUserMedia == null) throw new Error('This browser gives no access to a camera here (it needs https or localhost). Choose a picture of the code instead.')
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = (): void => {
    stopped = true
    clearTimeout(timer)
    for (const track of stream.getTracks()) track.stop()
    video.srcObject = null
  }
  video.muted = true
  video.playsInline = true
  video.srcObject = stream
  await video.play()
  const tick = async (): Promise<void> => {
    if (stopped) return
    if (!video.isConnected) { stop(); return }
    const text = await readQr(video).catch(() => undefined)
    if (stopped) return
    if (text != null && await onText(text)) { stop(); return }
    timer = setTimeout(() => { void tick() }, FRAME_EVERY_MS)
  }
  void tick()
  return { stop }
}
