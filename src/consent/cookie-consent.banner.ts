import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Branding } from '../lib/branding.ts';
import type { LocalizedText, Policy, Term } from '../policy/policy.schema.ts';
import type { BannerCategory, BannerConfig, BannerTexts } from './banner/banner-config.ts';

/** Google Consent Mode v2 signals granted with a category, by the category ids policies use. */
const SIGNALS: Record<string, string[]> = {
  analytics: ['analytics_storage'],
  statistics: ['analytics_storage'],
  marketing: ['ad_storage', 'ad_user_data', 'ad_personalization'],
  advertising: ['ad_storage', 'ad_user_data', 'ad_personalization'],
  ads: ['ad_storage', 'ad_user_data', 'ad_personalization'],
  functional: ['functionality_storage'],
  preferences: ['functionality_storage', 'personalization_storage'],
  personalization: ['personalization_storage'],
};

const TEXTS: { nl: Omit<BannerTexts, 'intro'>; en: Omit<BannerTexts, 'intro'> } = {
  nl: {
    title: 'Cookies',
    accept: 'Alles accepteren',
    reject: 'Alles weigeren',
    settings: 'Instellingen',
    settingsTitle: 'Cookie-instellingen',
    settingsIntro: 'Kies per soort cookie of u toestemming geeft. U kunt uw keuze altijd weer wijzigen.',
    save: 'Keuze opslaan',
    always: 'altijd aan',
    policy: 'Privacybeleid',
    consentId: 'Uw toestemmings-id',
  },
  en: {
    title: 'Cookies',
    accept: 'Accept all',
    reject: 'Reject all',
    settings: 'Settings',
    settingsTitle: 'Cookie settings',
    settingsIntro: 'Choose for each kind of cookie whether you consent. You can change your choice at any time.',
    save: 'Save choice',
    always: 'always on',
    policy: 'Privacy policy',
    consentId: 'Your consent id',
  },
};

const DEFAULT_INTRO: LocalizedText = {
  nl: 'Wij gebruiken noodzakelijke cookies om de website te laten werken. Andere cookies plaatsen wij alleen met uw toestemming.',
  en: 'We use strictly necessary cookies to make the website work. We place other cookies only with your consent.',
};

const termParts = (t: Term): [number, number, number] => [t.years ?? 0, t.months ?? 0, t.days ?? 0];

/** The banner's config from the policy's cookie section (without its version, which hashes it). */
export function bannerConfig(policy: Policy, hub: string): Omit<BannerConfig, 'v'> {
  const { cookies } = policy;
  const cats: BannerCategory[] = cookies.categories.map((c) => ({
    id: c.id,
    req: c.required,
    title: c.title,
    desc: c.description,
    sig: SIGNALS[c.id] ?? [],
    cookies: cookies.services
      .filter((s) => s.category === c.id)
      .flatMap((s) => s.cookies.map((k) => ({ n: k.name, s: s.name, p: k.purpose }))),
  }));
  const intro = cookies.intro ?? DEFAULT_INTRO;
  return {
    pv: policy.version,
    valid: termParts(cookies.consentValidFor),
    hub: hub.replace(/\/+$/, ''),
    cats,
    adv: cookies.services.filter((s) => s.consentMode === 'advanced').map((s) => s.id),
    t: { nl: { ...TEXTS.nl, intro: intro.nl }, en: { ...TEXTS.en, intro: intro.en } },
  };
}

export interface BuiltBanner {
  code: string;
  /** Hash of source and config: the ETag, and the `bannerVersion` in every proof. */
  version: string;
}

const here = (name: string) => fileURLToPath(new URL(`./banner/${name}`, import.meta.url));
/** From the sources under tsx; from the compiled output in a build. */
const ENTRY = [here('banner.ts'), here('banner.js')].find((p) => existsSync(p)) ?? here('banner.ts');
const CSS_FILE = here('banner.css');
/** A release (`npm run build`) carries the banner bundled once; the sources bundle it with esbuild. */
const PREBUILT = here('banner.prebuilt.js');
const PREBUILT_CSS = here('banner.min.css');

/**
 * The shop's colours as the defaults of the banner's custom properties (banner.css reads `--_brand*`
 * where the shop set no `--inzage-*` of its own). Colours only: the logo and name are the shop's page's.
 */
export function brandCss(branding: Branding | undefined): string {
  if (!branding) return '';
  return `:host{--_brand:${branding.primaryColor};--_brand-text:${branding.onPrimary};--_brand-link:${branding.linkColor}}`;
}

/**
 * Builds `/banner.js` for a policy and hub: one minified file with config and CSS inside. Built on
 * first use per config and kept in memory; a new policy version builds once more.
 */
export class BannerBuilder {
  readonly #cache = new Map<string, Promise<BuiltBanner>>();
  #source: Promise<{ hash: string; css: string; prebuilt?: string }> | undefined;

  get(policy: Policy, hub: string, branding?: Branding): Promise<BuiltBanner> {
    const config = bannerConfig(policy, hub);
    const brand = brandCss(branding);
    const key = JSON.stringify(config) + brand;
    let built = this.#cache.get(key);
    if (!built) {
      // A policy changes rarely; keep the last few builds, not every one.
      if (this.#cache.size >= 4) this.#cache.delete(this.#cache.keys().next().value!);
      built = this.#build(config, key, brand);
      this.#cache.set(key, built);
      built.catch(() => this.#cache.delete(key));
    }
    return built;
  }

  async #build(config: Omit<BannerConfig, 'v'>, key: string, brand: string): Promise<BuiltBanner> {
    this.#source ??= loadSource();
    const { hash, css, prebuilt } = await this.#source;
    const version = createHash('sha256').update(hash).update(key).digest('hex').slice(0, 12);
    const defines = { config: JSON.stringify({ v: version, ...config }), css: JSON.stringify(brand + css) };
    if (prebuilt !== undefined) {
      // The prebuilt bundle reads both as free names: declared around it, they are its config and CSS.
      const code = `(()=>{const __INZAGE_CONFIG__=${defines.config},__INZAGE_CSS__=${defines.css};${prebuilt.trim()}})();\n`;
      return { code, version };
    }
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      minify: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      legalComments: 'none',
      define: {
        __INZAGE_CONFIG__: defines.config,
        __INZAGE_CSS__: defines.css,
      },
    });
    return { code: result.outputFiles[0]!.text, version };
  }
}

async function loadSource(): Promise<{ hash: string; css: string; prebuilt?: string }> {
  if (existsSync(PREBUILT) && existsSync(PREBUILT_CSS)) {
    const prebuilt = readFileSync(PREBUILT, 'utf8');
    const css = readFileSync(PREBUILT_CSS, 'utf8');
    return { hash: createHash('sha256').update(prebuilt).update(css).digest('hex'), css, prebuilt };
  }
  const { transform } = await import('esbuild');
  const raw = readFileSync(CSS_FILE, 'utf8');
  const css = (await transform(raw, { loader: 'css', minify: true })).code.trim();
  const hash = createHash('sha256').update(readFileSync(ENTRY)).update(raw).digest('hex');
  return { hash, css };
}
