import type { FieldRole } from '../../datamap/datamap.schema.ts';
import type { DeskLang } from './desk-lang.ts';

/** The person's fields a correction names, in words (the data map's roles). */
export const FIELD_ROLE_LABEL: Record<DeskLang, Record<FieldRole, string> & Record<string, string | undefined>> = {
  nl: {
    email: 'E-mailadres',
    first_name: 'Voornaam',
    last_name: 'Achternaam',
    full_name: 'Volledige naam',
    phone: 'Telefoonnummer',
    street: 'Straat',
    house_number: 'Huisnummer',
    postal_code: 'Postcode',
    city: 'Plaats',
    country: 'Land',
    address: 'Adres',
  },
  en: {
    email: 'E-mail address',
    first_name: 'First name',
    last_name: 'Last name',
    full_name: 'Full name',
    phone: 'Phone number',
    street: 'Street',
    house_number: 'House number',
    postal_code: 'Postcode',
    city: 'Town or city',
    country: 'Country',
    address: 'Address',
  },
};
