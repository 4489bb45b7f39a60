import type { ComponentChildren } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import type { Branding } from '../../lib/branding.ts';
import type { Block, Inline, Lang, MailContent } from './model.ts';

// Inline styles only: mail clients drop <style> and never run scripts. The one image is the shop's logo,
// with the shop's name beside it in text, so a client that blocks images loses nothing.
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
/** Inzage's blue when the message carries no shop's look (an officer's message, a test). */
const PLAIN = { primaryColor: '#1d4ed8', onPrimary: '#ffffff', linkColor: '#1d4ed8' };
type Palette = typeof PLAIN;

const S = {
  body: `margin:0;padding:0;background:#f3f4f6;${FONT}`,
  outer: 'width:100%;background:#f3f4f6',
  card: 'width:100%;max-width:560px;background:#ffffff;border:1px solid #e5e7eb;border-radius:8px',
  cell: `padding:28px 28px 24px;${FONT};font-size:16px;line-height:1.5;color:#1f2937`,
  shop: 'margin:0 0 16px;font-size:14px;color:#6b7280',
  brandCell: `padding:16px 28px;${FONT};font-size:18px;line-height:1.3;font-weight:700;border-radius:8px 8px 0 0`,
  logo: 'display:inline-block;vertical-align:middle;height:40px;width:auto;max-width:160px;margin:0 12px 0 0;border:0',
  h1: 'margin:0 0 16px;font-size:22px;line-height:1.3;color:#111827',
  p: 'margin:0 0 16px',
  ul: 'margin:0 0 16px;padding-left:22px',
  li: 'margin:0 0 6px',
  a: 'text-decoration:underline;overflow-wrap:anywhere',
  button: 'display:inline-block;padding:12px 22px;text-decoration:none;border-radius:6px;font-weight:600',
  quote: 'margin:0 0 16px;padding:8px 14px;border-left:4px solid #d1d5db;color:#374151;white-space:pre-wrap',
  // #4b5563 on the grey page: 6.9:1 (#6b7280 was 4.4:1, under WCAG's 4.5:1).
  footer: `padding:16px 28px;${FONT};font-size:12px;line-height:1.5;color:#4b5563`,
} as const;

function InlineParts({ parts, c }: { parts: Inline[]; c: Palette }) {
  return (
    <>
      {parts.map((part) =>
        typeof part === 'string' ? (
          part
        ) : (
          <a href={part.href} style={`${S.a};color:${c.linkColor}`}>
            {part.label ?? part.href}
          </a>
        ),
      )}
    </>
  );
}

function BlockView({ block, c }: { block: Block; c: Palette }) {
  switch (block.kind) {
    case 'p':
      return (
        <p style={S.p}>
          <InlineParts parts={block.parts} c={c} />
        </p>
      );
    case 'list':
      return (
        <ul style={S.ul}>
          {block.items.map((item) => (
            <li style={S.li}>
              <InlineParts parts={item} c={c} />
            </li>
          ))}
        </ul>
      );
    case 'button':
      return (
        <p style="margin:8px 0 24px">
          <a href={block.href} style={`${S.button};background:${c.primaryColor};color:${c.onPrimary}`}>
            {block.label}
          </a>
          <br />
          <span style="font-size:13px;color:#6b7280">
            <a href={block.href} style={`${S.a};color:${c.linkColor}`}>
              {block.href}
            </a>
          </span>
        </p>
      );
    case 'quote':
      return <blockquote style={S.quote}>{block.text}</blockquote>;
  }
}

/** The shop's logo and name on its colour, above the message. */
function BrandBand({ branding }: { branding: Branding }) {
  return (
    <tr>
      <td style={`${S.brandCell};background:${branding.primaryColor};color:${branding.onPrimary}`}>
        {branding.logo && <img src={branding.logo.absolute} alt="" height="40" style={S.logo} />}
        <span style="vertical-align:middle">{branding.name}</span>
      </td>
    </tr>
  );
}

function Frame(props: { lang: Lang; title: string; footer: string; branding?: Branding; children: ComponentChildren }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
      </head>
      <body style={S.body}>
        <table role="presentation" style={S.outer} cellpadding="0" cellspacing="0">
          <tr>
            <td align="center" style="padding:24px 12px">
              <table role="presentation" style={S.card} cellpadding="0" cellspacing="0">
                {props.branding && <BrandBand branding={props.branding} />}
                <tr>
                  <td style={S.cell}>{props.children}</td>
                </tr>
              </table>
              <table role="presentation" style="width:100%;max-width:560px" cellpadding="0" cellspacing="0">
                <tr>
                  <td style={S.footer}>{props.footer}</td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

/** The HTML version: a simple card, every text escaped by preact. */
export function renderHtml(
  content: MailContent,
  lang: Lang,
  frame: { shopName?: string; branding?: Branding; closing: string[]; footer: string },
): string {
  const { closing, branding } = frame;
  const c: Palette = branding ?? PLAIN;
  const node = (
    <Frame lang={lang} title={content.subject} footer={frame.footer} branding={branding}>
      {frame.shopName && !branding && <p style={S.shop}>{frame.shopName}</p>}
      <h1 style={S.h1}>{content.heading ?? content.subject}</h1>
      {content.blocks.map((block) => (
        <BlockView block={block} c={c} />
      ))}
      {closing.length > 0 && (
        <p style="margin:24px 0 0">
          {closing.map((line, i) => (
            <>
              {i > 0 && <br />}
              {line}
            </>
          ))}
        </p>
      )}
    </Frame>
  );
  return `<!doctype html>${renderToStaticMarkup(node)}`;
}
