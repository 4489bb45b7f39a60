import { isInEea, type Lang } from '../policy/labels.ts';
import type { Policy, Processor } from '../policy/policy.schema.ts';

/**
 * The processor register, read from the policy: every party that receives personal data, what it
 * receives and why, where, and whether the agreement Art. 28(3) requires is in place.
 */
export interface ProcessorEntry {
  id: string;
  name: string;
  legalName?: string;
  service: string;
  role: Processor['role'];
  categories: Array<{ id: string; name: string }>;
  purposes: Array<{ id: string; name: string }>;
  locations: string[];
  /** Countries outside the EEA: a transfer (Chapter V). */
  transfers: string[];
  transferMechanism?: NonNullable<Processor['transferSafeguard']>['mechanism'];
  agreement: { status: 'signed' | 'pending' | 'none'; signedOn?: string; reference?: string };
  /** What needs the officer's attention: an agreement not signed, a transfer without a safeguard. */
  attention: string[];
}

export function processorRegister(policy: Policy, lang: Lang = 'nl'): ProcessorEntry[] {
  const categoryName = new Map(policy.categories.map((c) => [c.id, c.name[lang]]));
  const purposeName = new Map(policy.purposes.items.map((p) => [p.id, p.name[lang]]));
  return policy.processors.map((p) => {
    const transfers = p.locations.filter((c) => !isInEea(c));
    const agreement = p.agreement ?? { status: 'none' as const };
    const attention: string[] = [];
    if (p.role === 'processor' && agreement.status === 'pending')
      attention.push(
        lang === 'nl' ? 'verwerkersovereenkomst nog niet getekend' : 'processing agreement not yet signed',
      );
    if (p.role === 'processor' && agreement.status === 'none')
      attention.push(lang === 'nl' ? 'geen verwerkersovereenkomst' : 'no processing agreement');
    if (transfers.length > 0 && !p.transferSafeguard)
      attention.push(
        lang === 'nl' ? 'doorgifte buiten de EER zonder waarborg' : 'transfer outside the EEA without a safeguard',
      );
    return {
      id: p.id,
      name: p.name,
      ...(p.legalName ? { legalName: p.legalName } : {}),
      service: p.service[lang],
      role: p.role,
      categories: p.categories.map((id) => ({ id, name: categoryName.get(id) ?? id })),
      purposes: p.purposes.map((id) => ({ id, name: purposeName.get(id) ?? id })),
      locations: p.locations,
      transfers,
      ...(p.transferSafeguard ? { transferMechanism: p.transferSafeguard.mechanism } : {}),
      agreement: {
        status: agreement.status,
        ...(agreement.signedOn ? { signedOn: agreement.signedOn } : {}),
        ...(agreement.reference ? { reference: agreement.reference } : {}),
      },
      attention,
    };
  });
}
