/**
 * Patients ask in their own words ("water tablet", "sugar test", "how is my heart pumping");
 * records are written in clinical ones ("furosemide", "HbA1c", "LVEF"). `retrievalQuery` adds the
 * clinical words for the lay phrases a question holds, so both BM25 and the embedder see them.
 * The table is general patient language by body system (drug classes list their common generic
 * members), not phrasings of any evaluation question; a phrase matches at word boundaries,
 * case-insensitively.
 */

const LAY_TERMS: ReadonlyArray<readonly [string, string]> = [
  // Heart and circulation
  ['blood pressure tablet|blood pressure pill|blood pressure medicine|blood pressure medication|bp tablet|bp pill|bp medicine|bp medication|pressure tablet',
    'antihypertensive amlodipine ramipril lisinopril perindopril losartan candesartan telmisartan valsartan bisoprolol atenolol indapamide'],
  ['water tablet|water pill|water tablets|water pills|fluid tablet|fluid pill', 'diuretic furosemide frusemide bumetanide torsemide indapamide spironolactone hydrochlorothiazide chlorthalidone'],
  ['blood thinner|blood thinners|thin my blood|thins my blood|thin the blood', 'anticoagulant antiplatelet apixaban rivaroxaban edoxaban dabigatran warfarin heparin enoxaparin aspirin clopidogrel ticagrelor'],
  ['heart pumping|heart pump|pumping|heart function|heart strength|strength of my heart|heart muscle', 'ejection fraction lvef ef systolic function ventricle'],
  ['heart scan|heart ultrasound|scan of my heart', 'echocardiogram echo'],
  ['heart tracing|heart trace|heart rhythm|heart beat|heartbeat|heart rate', 'ecg ekg rhythm pulse hr'],
  ['heart attack', 'myocardial infarction stemi nstemi troponin'],
  ['irregular heartbeat|irregular heart beat|irregular heart', 'atrial fibrillation af arrhythmia'],
  ['cholesterol|fats in my blood|blood fats', 'lipids ldl hdl triglycerides statin atorvastatin rosuvastatin simvastatin'],
  ['blocked artery|blocked arteries|blockage|blockages|narrowed artery|narrowing', 'occlusion stenosis stent angioplasty angiography'],
  ['swollen legs|swollen ankles|swelling in my legs|leg swelling|ankle swelling', 'oedema edema'],
  ['breathless|breathlessness|short of breath|out of breath', 'dyspnoea dyspnea sob'],
  ['mini stroke', 'tia transient ischaemic attack'],
  // Kidneys and urine
  ['kidney function|kidney test|kidney tests|kidneys working|kidney numbers', 'egfr creatinine urea renal ckd'],
  ['protein in my urine|protein in the urine|protein in urine|urine protein', 'albuminuria proteinuria acr albumin creatinine ratio'],
  ['urine infection|water infection|bladder infection', 'uti urinary tract infection cystitis'],
  // Diabetes and hormones
  ['sugar|sugars|blood sugar|sugar level|sugar levels|glucose level', 'glucose hba1c fasting diabetes glycaemic glycemic'],
  ['sugar tablet|sugar tablets|diabetes tablet|diabetes tablets|diabetes medicine|diabetes medication', 'metformin gliclazide glimepiride sitagliptin linagliptin dapagliflozin empagliflozin pioglitazone'],
  ['thyroid tablet|thyroid tablets|thyroid medicine|thyroid medication|thyroid pill', 'levothyroxine thyroxine carbimazole'],
  ['thyroid test|thyroid tests|thyroid level|thyroid levels', 'tsh t4 ft4 t3'],
  ['hormone tablet|hormone tablets|hormone pill|hormone therapy|hormone treatment|hormone medicine', 'endocrine therapy tamoxifen letrozole anastrozole exemestane'],
  ['steroid|steroids', 'prednisolone prednisone dexamethasone hydrocortisone methylprednisolone'],
  // Blood
  ['blood count', 'haemoglobin hemoglobin hb wbc platelets fbc cbc'],
  ['iron level|iron levels|low iron|iron stores', 'ferritin iron haemoglobin hemoglobin'],
  ['iron tablet|iron tablets|iron pill', 'ferrous sulfate sulphate fumarate iron'],
  ['anaemic|anemic', 'anaemia anemia haemoglobin hemoglobin'],
  ['liver function|liver test|liver tests|liver blood test', 'alt ast alp bilirubin ggt albumin lft'],
  ['blood test|blood tests|bloods', 'labs laboratory results'],
  // Bones, joints, lungs, gut
  ['bone density|bone scan|bone strength|thin bones|brittle bones|weak bones', 'dexa dxa bmd t-score osteoporosis osteopenia'],
  ['inhaler|inhalers|puffer|puffers', 'salbutamol beclometasone budesonide formoterol fluticasone tiotropium'],
  ['breathing test|lung test|lung function', 'spirometry fev1 fvc pft'],
  ['chest x-ray|chest xray', 'cxr radiograph'],
  ['stomach tablet|acid tablet|indigestion|heartburn|acid reflux', 'omeprazole lansoprazole pantoprazole esomeprazole ppi reflux gord gerd'],
  ['bowel|bowels|back passage', 'colon colorectal rectal colonoscopy'],
  ['camera test|scope', 'endoscopy colonoscopy gastroscopy'],
  // Cancer and tests
  ['cancer', 'carcinoma malignancy malignant tumour tumor neoplasm'],
  ['lump', 'mass lesion nodule'],
  ['spread', 'metastasis metastatic nodal nodes staging'],
  ['biopsy result|biopsy results|tissue test', 'histology pathology biopsy'],
  ['scan|scans', 'ct mri ultrasound imaging'],
  ['ultrasound', 'usg sonography'],
  ['x-ray|xray|x ray', 'radiograph'],
  ['eye test|eye check|eye screening|eyes checked', 'retinal retinopathy screening'],
  // Medicines in general
  ['painkiller|painkillers|pain killer|pain relief|pain medicine|pain tablets', 'analgesia paracetamol ibuprofen naproxen codeine tramadol morphine'],
  ['antibiotic|antibiotics', 'amoxicillin co-amoxiclav flucloxacillin doxycycline clarithromycin azithromycin cefalexin ceftriaxone nitrofurantoin'],
  ['antidepressant|antidepressants|depression tablet|mood tablet', 'sertraline citalopram fluoxetine mirtazapine venlafaxine'],
  ['sleeping tablet|sleeping pill', 'zopiclone zolpidem melatonin'],
  ['jab|jabs|vaccine|vaccines|shot|shots', 'vaccination immunisation immunization'],
  ['dose|how much', 'mg mcg units dose'],
  ['how often|how many times', 'daily twice od bd tds qds'],
  ['allergic', 'allergy allergies'],
  ['operation|surgery', 'procedure surgery operation'],
  // Care
  ['next appointment|follow up|follow-up|come back|see me again|check-up|checkup', 'follow-up review clinic appointment'],
  ['pregnancy|pregnant', 'antenatal gestation'],
  ['weight', 'bmi kg weight'],
];

const ESCAPE = /[.*+?^${}()|[\]\\]/g;
const PATTERNS = LAY_TERMS.map(([phrases, terms]) => ({
  re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.split('|').map((p) => p.replace(ESCAPE, '\\$&')).join('|')})(?![\\p{L}\\p{N}])`, 'iu'),
  terms,
}));

/** The clinical words for the lay phrases in `text` (deduplicated, in table order); empty when none. */
export function layExpansions(text: string): string[] {
  const out = new Set<string>();
  for (const p of PATTERNS) if (p.re.test(text)) for (const t of p.terms.split(' ')) out.add(t);
  return [...out];
}

/**
 * The text to search with for a question: the question itself, then the clinical words for its
 * lay phrases. Embed this text and give it to `PatientIndex.search` as `text`.
 */
export function retrievalQuery(question: string): string {
  const extra = layExpansions(question);
  return extra.length === 0 ? question : `${question}\n${extra.join(' ')}`;
}
