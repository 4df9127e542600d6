/**
 * Clinical terms and abbreviations → plain words, for patient-mode answers. Three kinds:
 * - `ABBREVIATIONS` match exactly as written (case-sensitive), so "AF" is rewritten but "af" and
 *   "After" are not; common lower-case spellings are listed as their own entries ("bd", "prn").
 * - `TESTS` also match case-sensitively, and keep the term after the plain words, because the
 *   patient will meet it again on their reports: "HbA1c" → "average blood sugar over 2–3 months (HbA1c)".
 * - `WORDS` match in any case ("Hypertension", "hypertension").
 * No entry is a drug name (checked against the drug vocabulary by the tests), and none is only
 * digits, so doses and drug names pass through untouched.
 */
export type Glossary = Readonly<Record<string, string>>;

export const ABBREVIATIONS: Glossary = {
  HTN: 'high blood pressure', T2DM: 'type 2 diabetes', T1DM: 'type 1 diabetes', DM: 'diabetes', T2D: 'type 2 diabetes', IDDM: 'insulin-treated diabetes',
  NIDDM: 'type 2 diabetes', MI: 'heart attack', AMI: 'heart attack', STEMI: 'heart attack', NSTEMI: 'heart attack',
  ACS: 'heart attack or unstable angina', AF: 'atrial fibrillation (an irregular heartbeat)', AFib: 'atrial fibrillation (an irregular heartbeat)',
  CKD: 'long-term kidney disease', AKI: 'sudden kidney injury', CHF: 'heart failure', CCF: 'heart failure', HF: 'heart failure',
  CAD: 'narrowed heart arteries (coronary artery disease)', CHD: 'coronary heart disease', IHD: 'heart disease from narrowed arteries',
  COPD: 'long-term lung disease (COPD)', CVA: 'stroke', TIA: 'mini-stroke', DVT: 'blood clot in a leg vein',
  UTI: 'urine infection', URTI: 'nose and throat infection', LRTI: 'chest infection', GERD: 'acid reflux', GORD: 'acid reflux',
  OA: 'wear-and-tear arthritis', OSA: 'sleep apnoea (pauses in breathing during sleep)', BPH: 'enlarged prostate',
  PVD: 'poor circulation', PAD: 'poor circulation in the legs', CABG: 'heart bypass surgery', PCI: 'procedure to open a heart artery',
  PTCA: 'procedure to open a heart artery', LVH: 'thickened heart muscle', TB: 'tuberculosis', PCOS: 'polycystic ovary syndrome',
  SOB: 'shortness of breath', SOBOE: 'shortness of breath on exertion', DOE: 'breathlessness on exertion', 'N/V': 'nausea and vomiting',
  'c/o': 'complains of', 'C/O': 'complains of', 'h/o': 'history of', 'H/O': 'history of', 's/p': 'after', 'S/P': 'after', 'w/o': 'without',
  'r/o': 'to rule out', Hx: 'history', PMH: 'past medical history', FHx: 'family history', Dx: 'diagnosis', Rx: 'treatment', Tx: 'treatment',
  Sx: 'symptoms', Fx: 'fracture', Ix: 'tests', Abx: 'antibiotics', NKDA: 'no known drug allergies', NKA: 'no known allergies',
  NAD: 'nothing abnormal found', WNL: 'within normal limits', 'F/U': 'follow-up', 'f/u': 'follow-up', 'R/V': 'review', TTO: 'medicines to take home',
  OPD: 'outpatient clinic', ICU: 'intensive care', ITU: 'intensive care', HDU: 'high-dependency unit', GP: 'family doctor', LMP: 'last period',
  EDD: 'due date', BP: 'blood pressure', HR: 'heart rate', RR: 'breathing rate', BMI: 'body mass index', BID: 'twice a day', bid: 'twice a day',
  'b.i.d.': 'twice a day', BD: 'twice a day', bd: 'twice a day', 'b.d.': 'twice a day', TID: 'three times a day', tid: 'three times a day',
  TDS: 'three times a day', tds: 'three times a day', 't.d.s.': 'three times a day', 't.i.d.': 'three times a day', QID: 'four times a day',
  qid: 'four times a day', QDS: 'four times a day', qds: 'four times a day', 'q.i.d.': 'four times a day', OD: 'once a day', od: 'once a day',
  QD: 'once a day', qd: 'once a day', 'q.d.': 'once a day', hs: 'at bedtime', qHS: 'at bedtime', nocte: 'at night',
  mane: 'in the morning', PRN: 'when needed', prn: 'when needed', 'p.r.n.': 'when needed', SOS: 'when needed', STAT: 'immediately',
  stat: 'immediately', PO: 'by mouth', 'p.o.': 'by mouth', IV: 'into a vein', IM: 'into a muscle', SC: 'under the skin', SQ: 'under the skin',
  subcut: 'under the skin', SL: 'under the tongue', NBM: 'nothing to eat or drink', NPO: 'nothing to eat or drink',
  'a.c.': 'before meals', 'p.c.': 'after meals', NSAID: 'anti-inflammatory painkiller', NSAIDs: 'anti-inflammatory painkillers',
  Mets: 'cancer spread', mets: 'cancer spread', 'A&E': 'emergency department',
};

export const TESTS: Glossary = {
  HbA1c: 'average blood sugar over 2–3 months', A1c: 'average blood sugar over 2–3 months', eGFR: 'kidney function', GFR: 'kidney function',
  FBS: 'fasting blood sugar', FBG: 'fasting blood sugar', RBS: 'random blood sugar', PPBS: 'blood sugar after a meal', FBC: 'full blood count',
  CBC: 'complete blood count', Hb: 'haemoglobin (red blood cell level)', WBC: 'white blood cell count', LFT: 'liver function tests',
  LFTs: 'liver function tests', RFT: 'kidney function tests', KFT: 'kidney function tests', 'U&E': 'kidney function tests',
  'U&Es': 'kidney function tests', TFT: 'thyroid function tests', TFTs: 'thyroid function tests', TSH: 'thyroid hormone test',
  LDL: '"bad" cholesterol', HDL: '"good" cholesterol', TG: 'triglycerides (blood fats)', INR: 'blood clotting test', CRP: 'inflammation blood test',
  ESR: 'inflammation blood test', BNP: 'heart strain blood test', 'NT-proBNP': 'heart strain blood test', PSA: 'prostate blood test',
  ACR: 'urine protein test', UACR: 'urine protein test', CXR: 'chest X-ray', ECG: 'heart tracing', EKG: 'heart tracing', ECHO: 'heart ultrasound scan',
  Echo: 'heart ultrasound scan', USG: 'ultrasound scan', ABG: 'blood oxygen test', LP: 'spinal fluid test', OGD: 'camera test of the stomach',
  EGD: 'camera test of the stomach', EEG: 'brain wave test', DEXA: 'bone density scan', PFT: 'breathing tests', PFTs: 'breathing tests',
  SpO2: 'oxygen level', SaO2: 'oxygen level', LVEF: 'heart pumping strength', EF: 'heart pumping strength',
};

export const WORDS: Glossary = {
  hypertension: 'high blood pressure', hypotension: 'low blood pressure', hyperglycaemia: 'high blood sugar', hyperglycemia: 'high blood sugar',
  hypoglycaemia: 'low blood sugar', hypoglycemia: 'low blood sugar', hyperlipidaemia: 'high cholesterol', hyperlipidemia: 'high cholesterol',
  dyslipidaemia: 'abnormal cholesterol', dyslipidemia: 'abnormal cholesterol', hypercholesterolaemia: 'high cholesterol', hypercholesterolemia: 'high cholesterol',
  dyspnoea: 'shortness of breath', dyspnea: 'shortness of breath', tachycardia: 'fast heart rate', bradycardia: 'slow heart rate',
  arrhythmia: 'irregular heartbeat', 'myocardial infarction': 'heart attack', 'cerebrovascular accident': 'stroke', 'atrial fibrillation': 'atrial fibrillation (an irregular heartbeat)',
  'chronic kidney disease': 'long-term kidney disease', 'ischaemic heart disease': 'heart disease from narrowed arteries', 'ischemic heart disease': 'heart disease from narrowed arteries',
  'coronary artery disease': 'narrowed heart arteries', 'pulmonary embolism': 'blood clot in the lung', 'diabetes mellitus': 'diabetes', oedema: 'swelling', edema: 'swelling', pyrexia: 'fever',
  febrile: 'feverish', afebrile: 'no fever', haematuria: 'blood in the urine', hematuria: 'blood in the urine', haemoptysis: 'coughing up blood',
  hemoptysis: 'coughing up blood', haematemesis: 'vomiting blood', hematemesis: 'vomiting blood', melaena: 'black, tarry stools', melena: 'black, tarry stools',
  syncope: 'fainting', vertigo: 'dizziness with a spinning feeling', emesis: 'vomiting', pruritus: 'itching', erythema: 'redness', analgesic: 'painkiller',
  analgesics: 'painkillers', analgesia: 'pain relief', antipyretic: 'fever-lowering medicine', anticoagulant: 'blood thinner', anticoagulants: 'blood thinners',
  anticoagulation: 'blood-thinning treatment', antiplatelet: 'anti-clotting medicine', diuretic: 'water tablet', diuretics: 'water tablets',
  antihypertensive: 'blood pressure medicine', antihypertensives: 'blood pressure medicines', benign: 'not cancer', malignant: 'cancerous',
  malignancy: 'cancer', neoplasm: 'growth', lesion: 'abnormal area', lesions: 'abnormal areas', metastasis: 'spread of cancer', metastases: 'spread of cancer',
  metastatic: 'spread from where it started', renal: 'kidney', hepatic: 'liver', pulmonary: 'lung', cerebral: 'brain', gastric: 'stomach',
  hepatomegaly: 'enlarged liver', splenomegaly: 'enlarged spleen', cardiomegaly: 'enlarged heart', nephropathy: 'kidney damage', neuropathy: 'nerve damage',
  retinopathy: 'damage to the back of the eye', ischaemia: 'reduced blood flow', ischemia: 'reduced blood flow', stenosis: 'narrowing',
  thrombosis: 'blood clot', thrombus: 'blood clot', embolism: 'blockage by a clot', haemorrhage: 'bleeding', hemorrhage: 'bleeding',
  anaemia: 'low red blood cells', anemia: 'low red blood cells', bilateral: 'on both sides', unilateral: 'on one side', prophylaxis: 'prevention',
  prophylactic: 'preventive', contraindicated: 'not safe to use', idiopathic: 'of unknown cause', exacerbation: 'flare-up', asymptomatic: 'without symptoms',
  prognosis: 'expected outcome', palpitations: 'noticeable heartbeat', dysuria: 'pain when passing urine', polyuria: 'passing a lot of urine',
  nocturia: 'passing urine at night', dysphagia: 'difficulty swallowing', dyspepsia: 'indigestion', cellulitis: 'skin infection',
  gastroenteritis: 'stomach bug', hyperthyroidism: 'overactive thyroid', hypothyroidism: 'underactive thyroid', hyperkalaemia: 'high potassium',
  hyperkalemia: 'high potassium', hypokalaemia: 'low potassium', hypokalemia: 'low potassium', hyponatraemia: 'low sodium', hyponatremia: 'low sodium',
  osteoporosis: 'thin, weak bones', osteoarthritis: 'wear-and-tear arthritis', fracture: 'broken bone', laceration: 'cut', contusion: 'bruise',
  subcutaneous: 'under the skin', intravenous: 'into a vein', intramuscular: 'into a muscle', sublingual: 'under the tongue', topical: 'on the skin',
  'per os': 'by mouth', 'nil by mouth': 'nothing to eat or drink', titrate: 'adjust step by step', discontinued: 'stopped', discontinue: 'stop',
  commenced: 'started', commence: 'start', adherence: 'taking medicines as prescribed', ambulatory: 'able to walk', supine: 'lying on the back',
  cholecystitis: 'inflamed gallbladder', cholelithiasis: 'gallstones', nephrolithiasis: 'kidney stones', hepatitis: 'liver inflammation',
  gastritis: 'inflamed stomach lining', 'otitis media': 'middle ear infection', conjunctivitis: 'eye infection (pink eye)', sinusitis: 'sinus infection',
  pharyngitis: 'sore throat', dermatitis: 'skin inflammation', pancreatitis: 'inflamed pancreas', diverticulitis: 'inflamed pouches in the bowel',
  arthralgia: 'joint pain', myalgia: 'muscle pain', cephalgia: 'headache', epistaxis: 'nosebleed', rhinorrhoea: 'runny nose', rhinorrhea: 'runny nose',
  tinnitus: 'ringing in the ears', paraesthesia: 'pins and needles', paresthesia: 'pins and needles', hemiparesis: 'weakness on one side of the body',
  hemiplegia: 'paralysis on one side of the body', aphasia: 'difficulty with language', dysarthria: 'slurred speech', ataxia: 'unsteadiness',
  insomnia: 'difficulty sleeping', 'cognitive impairment': 'memory and thinking problems', 'lipid profile': 'cholesterol tests',
  'glycaemic control': 'blood sugar control', 'glycemic control': 'blood sugar control', 'renal function': 'kidney function', creatinine: 'kidney blood test (creatinine)',
  troponin: 'heart damage blood test (troponin)', haemoglobin: 'haemoglobin (red blood cell level)', hemoglobin: 'hemoglobin (red blood cell level)',
  'nephrotic syndrome': 'kidney condition that leaks protein', proteinuria: 'protein in the urine', microalbuminuria: 'small amounts of protein in the urine',
  hyperuricaemia: 'high uric acid', hyperuricemia: 'high uric acid', 'benign prostatic hyperplasia': 'enlarged prostate', angina: 'chest pain from the heart',
  echocardiogram: 'heart ultrasound scan', electrocardiogram: 'heart tracing', auscultation: 'listening with a stethoscope', 'vital signs': 'pulse, blood pressure and temperature',
  nebulisation: 'breathing medicine through a mask', nebulization: 'breathing medicine through a mask',
};
