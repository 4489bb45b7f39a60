/**
 * Common first names in the Netherlands, Flanders and English-speaking countries, for recognising a
 * column of people's names (personal-values.ts). Names that are also everyday words or colours a product
 * may carry (Rose, Amber, Ivy, Max, Frank, Summer, Nova …) are left out on purpose.
 */
export const FIRST_NAMES: ReadonlySet<string> = new Set(
  // Dutch and Flemish, women
  (
    'Anna|Anne|Anneke|Annemarie|Annemieke|Anouk|Astrid|Bente|Bianca|Carla|Charlotte|Chantal|Chloë|Daniëlle|' +
    'Demi|Diana|Dewi|Edith|Els|Elise|Ellen|Emma|Esmee|Esther|Eva|Evi|Fatima|Femke|Fenna|Fleur|Floor|Hanna|' +
    'Hannah|Hanneke|Heleen|Ilse|Ineke|Inge|Ingrid|Irene|Isa|Janneke|Jasmijn|Jolanda|Joke|Judith|Julia|Karin|' +
    'Kim|Lara|Laura|Lieke|Linda|Lisa|Lieve|Lotte|Lynn|Maaike|Manon|Margriet|Marieke|Marije|Marloes|Marleen|' +
    'Maud|Merel|Mila|Mirjam|Monique|Naomi|Nienke|Noor|Noëlle|Nora|Petra|Renate|Ria|Romy|Sanne|Sara|Sarah|' +
    'Saskia|Sophie|Suzanne|Tess|Tessa|Truus|Vera|Wendy|Wilma|Yara|Yvonne|Zoë|Zoe|Samira|Yasmina|Ayşe|Elif|' +
    // Dutch and Flemish, men
    'Aad|Ahmed|Arjen|Arjan|Bart|Bas|Bert|Bram|Casper|Cees|Daan|Dennis|Dirk|Erik|Ernst|Finn|Floris|Gerard|' +
    'Gert|Gijs|Hans|Hendrik|Henk|Herman|Hugo|Jaap|Jan|Jan-Willem|Jasper|Jelle|Jeroen|Jesse|Joost|Joris|' +
    'Jos|Kees|Klaas|Koen|Lars|Lucas|Luuk|Maarten|Marco|Martijn|Mats|Mees|Michiel|Milan|Mohamed|Niels|Noah|' +
    'Pieter|Piet|Pim|Ruben|Rutger|Rob|Robbert|Roel|Ruud|Sander|Sem|Stefan|Stijn|Sven|Thijs|Thomas|Tim|' +
    'Tom|Twan|Vincent|Willem|Wim|Wouter|Youssef|' +
    // English, women
    'Abigail|Alice|Amelia|Amy|Ava|Barbara|Betty|Caroline|Catherine|Claire|Deborah|Donna|Eleanor|Elizabeth|' +
    'Emily|Emilia|Evelyn|Harriet|Helen|Isabella|Isla|Jennifer|Jessica|Joanna|Karen|Katherine|Kate|Kelly|' +
    'Linda|Lucy|Margaret|Maria|Mary|Megan|Melissa|Michelle|Nancy|Olivia|Patricia|Rachel|Rebecca|Samantha|' +
    'Sandra|Sharon|Sophia|Stephanie|Susan|Victoria|' +
    // English, men
    'Adam|Alexander|Andrew|Anthony|Benjamin|Brian|Charles|Christopher|Daniel|David|Edward|George|Harry|Henry|' +
    'Jacob|James|Jason|Jeffrey|John|Jonathan|Joseph|Joshua|Kevin|Liam|Matthew|Michael|Nicholas|Oliver|Oscar|' +
    'Patrick|Paul|Peter|Richard|Robert|Ryan|Samuel|Scott|Simon|Stephen|Steven|Timothy|William'
  ).split('|'),
);
