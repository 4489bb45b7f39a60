import type QRCodeTypes from 'qrcode';
import { lazily } from '../../lib/lazy-require.ts';

// Loaded for the one page that shows a QR code.
const qrcode = lazily<typeof QRCodeTypes>('qrcode');

/**
 * The otpauth:// address as a QR code, an SVG made here on the server (no script, no image request), for
 * the authenticator app to scan. Labelled for screen readers; the key stays next to it as text.
 */
export async function totpQrSvg(uri: string, label: string): Promise<string> {
  const svg = await qrcode().toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const escaped = label.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg.replace('<svg ', `<svg role="img" aria-label="${escaped}" class="qr" `);
}
