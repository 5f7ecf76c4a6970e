/**
 * Occupational fields (LMArena's "occupational" categories) and the expert
 * signal. A prompt belongs to a field when it uses that field's vocabulary;
 * it is expert-level when it also uses the jargon professionals use among
 * themselves, or is demanding enough to be a hard prompt in that field.
 */
import { cues, type Cues } from "./cues";

export const FIELDS = ["medicine", "law", "business_finance", "accounting", "software", "science", "creative_marketing", "education"] as const;
export type Field = (typeof FIELDS)[number];

const FIELD_WORDS: Record<Exclude<Field, "software">, Cues> = {
  medicine: cues([
    "symptom*", "diagnos*", "patient*", "doctor", "physician", "nurse", "clinic*", "hospital", "medication*", "medicine", "drug interaction",
    "dose", "dosage", "mg", "prescri*", "side effect*", "disease", "infection", "antibiotic*", "vaccine*", "blood pressure", "diabetes",
    "cancer", "tumor", "surgery", "therapy", "pain in", "fever", "headache", "pregnan*", "allerg*", "cholesterol", "insulin", "ecg", "mri",
    "heart rate", "asleep", "insomnia", "paracetamol", "ibuprofen", "tylenol", "enceinte", "doliprane", "grossesse", "타이레놀", "감기약", "먹어도",
    "síntoma*", "médico", "paciente", "enfermedad", "medicamento*", "dolor", "symptôme*", "maladie", "médicament*", "douleur", "arzt",
    "krankheit", "medikament*", "schmerz*", "patient", "sintoma*", "doença", "remédio", "medicamento", "sintomi", "malattia", "farmaco",
    "симптом*", "врач", "болезн*", "лекарств*", "пациент*", "боль", "طبيب", "مرض", "دواء", "أعراض", "मरीज", "बीमारी", "दवा",
    "hastalık", "ilaç", "doktor", "症状", "病人", "患者", "医生", "药物", "疾病", "治疗", "医師", "病気", "薬", "治療", "증상", "환자", "약물",
  ]),
  law: cues([
    "law", "legal*", "lawyer", "attorney", "court", "judge", "lawsuit", "sue", "contract", "clause", "liabilit*", "statute", "regulation*",
    "gdpr", "copyright", "trademark", "patent", "tenant", "landlord", "lease agreement", "custody", "divorce", "criminal", "plaintiff",
    "defendant", "jurisdiction", "precedent", "tort", "indemnif*", "nda", "terms of service", "compliance", "visa", "immigration law",
    "ley", "abogado", "contrato", "demanda", "tribunal", "cláusula", "loi", "avocat", "contrat", "juridique", "droit du", "gesetz*", "anwalt",
    "vertrag*", "klausel", "gericht", "kündigung*", "rechtlich*", "lei", "advogado", "contratto", "avvocato", "legge",
    "закон*", "юрист", "договор*", "суд", "иск", "قانون", "محامي", "عقد", "محكمة", "कानून", "वकील", "hukuk", "sözleşme", "avukat",
    "法律", "合同", "律师", "法院", "条款", "契約", "弁護士", "裁判", "法的", "법률", "계약", "변호사",
  ]),
  business_finance: cues([
    "business plan", "startup", "revenue", "profit*", "market share", "investor*", "invest*", "stock*", "bond*", "portfolio", "dividend*",
    "interest rate", "inflation", "economy", "economic*", "loan", "mortgage", "bank*", "valuation", "venture capital", "ipo", "pricing strategy",
    "customer acquisition", "kpi", "okr", "supply chain", "management", "manager", "negotiat*", "salary", "budget", "cash flow", "roi",
    "etf", "hedge", "options trading", "equity", "wacc", "dcf", "ebitda", "supplier*", "vendor*", "manage a team", "my team", "employees",
    "standups", "fp&a", "cfo", "yoy", "margin*", "elasticity", "menu prices", "pricing", "index fund",
    "negocio", "empresa", "inversión", "acciones", "finanzas", "préstamo", "hipoteca", "fondo indexado", "tipos de interés", "inflación", "inflação", "entreprise", "investissement", "finance", "marché", "prêt",
    "unternehmen", "investition*", "aktie*", "finanz*", "kredit", "negócio", "investimento", "empresa de", "azienda", "investimento",
    "бизнес", "инвестиц*", "акци*", "финанс*", "кредит", "استثمار", "مستثمر", "صكوك", "الأسهم", "أسهم", "تمويل", "व्यापार", "निवेश", "yatırım", "şirket",
    "投资", "股票", "融资", "商业", "利润", "加盟", "开一家", "回本", "成本", "预算", "投資", "株", "会社", "経営", "売上", "투자", "주식", "사업", "통화스왑", "헤지", "매출",
  ]),
  accounting: cues([
    "accounting", "accountant", "bookkeeping", "ledger", "journal entr*", "balance sheet", "income statement", "cash flow statement",
    "gaap", "ifrs", "audit*", "depreciation", "amortization", "accrual*", "deferred revenue", "deferred tax", "tax return", "vat", "sales tax",
    "deduct*", "1099", "w-2", "payroll", "invoice*", "reconcil*", "write-off", "capitaliz*", "lease liabilit*", "ifrs 16", "asc 842", "cpa",
    "contabilidad", "contable", "impuesto*", "iva", "balance general", "comptabilité", "comptable", "impôt*", "tva", "bilan",
    "buchhaltung", "bilanz", "steuer*", "abschreibung*", "umsatzsteuer", "contabilidade", "imposto*", "contabilità", "fattura",
    "бухгалтер*", "налог*", "баланс", "амортизац*", "محاسبة", "ضريبة", "ميزانية", "लेखा", "कर", "muhasebe", "vergi",
    "会计", "税务", "报表", "资产负债表", "折旧", "会計", "税金", "確定申告", "減価償却", "仕訳", "회계", "세금", "감가상각",
  ]),
  science: cues([
    "physics", "quantum", "relativity", "thermodynamic*", "chemistry", "chemical", "molecule*", "reaction", "enzyme*", "protein*", "dna", "rna",
    "gene", "genes", "genetic*", "evolution", "biology", "cellular", "cell biology", "science", "scientific", "ecolog*", "species",
    "gravity", "moon", "rainbow", "light pollution", "greenhouse", "co2", "atmospher*", "humidity", "boronic", "catalyst", "solvent", "isotope*", "photosynthesis", "ecosystem", "climate", "geology", "astronomy", "planet*", "galaxy", "black hole",
    "experiment", "hypothesis", "peer review", "research paper", "p-value", "statistical significance", "lab ", "laboratory", "neuron*",
    "física", "química", "biología", "experimento", "physique", "chimie", "biologie", "expérience", "physik", "chemie", "experiment*",
    "treibhausgas", "atmosphär*", "luftfeuchte", "naturwissenschaft*",
    "fisica", "chimica", "biologia", "физик*", "хими*", "биолог*", "эксперимент*", "فيزياء", "كيمياء", "أحياء", "विज्ञान", "fizik", "kimya",
    "物理", "化学", "生物", "实验", "量子", "分子", "細胞", "実験", "遺伝子", "물리", "화학", "생물", "실험",
  ]),
  creative_marketing: cues([
    "marketing", "advertis*", "ad copy", "campaign", "brand*", "slogan", "tagline", "copywriting", "seo", "social media post", "instagram",
    "linkedin post", "newsletter", "landing page", "target audience", "press release", "product description", "call to action", "conversion rate",
    "logo", "content strategy", "engagement", "ad script", "radio ad", "kickstarter", "tiktok", "blurb", "newsletter*", "social media",
    "publicidad", "campaña", "marca", "eslogan", "publicité", "campagne", "marque", "werbung", "kampagne", "marke", "werbetext",
    "publicidade", "campanha", "pubblicità", "campagna", "маркетинг*", "реклам*", "бренд*", "слоган", "تسويق", "إعلان", "علامة تجارية",
    "विज्ञापन", "पाज़ार", "reklam", "pazarlama", "营销", "广告", "品牌", "文案", "マーケティング", "広告", "キャッチコピー", "ブランド", "마케팅", "광고", "브랜드",
  ]),
  education: cues([
    "lesson plan", "curriculum", "syllabus", "teacher", "teaching", "classroom", "student*", "pupil*", "grade level", "grading", "rubric",
    "homework", "quiz", "exam", "lecture", "study for", "mcat", "homeschool*", "unit on", "professora", "atividades", "öğretmen*", "ödev*", "tutor*", "pedagog*", "learning objective*", "worksheet", "kindergarten", "high school", "university course",
    "profesor", "alumnos", "estudiantes", "clase de", "plan de clase", "enseignant", "élèves", "étudiants", "cours de", "lehrer*", "schüler*",
    "unterricht*", "studenten", "professor", "alunos", "insegnante", "studenti", "учител*", "ученик*", "студент*", "урок*", "معلم", "طلاب",
    "درس", "शिक्षक", "छात्र", "öğretmen", "öğrenci", "教师", "学生", "课程", "教案", "教学", "授業", "生徒", "教師", "교사", "학생", "수업",
  ]),
};

const EXPERT_JARGON: Record<Field, Cues> = {
  medicine: cues([
    "contraindicat*", "pharmacokinetic*", "egfr", "creatinine", "inr", "anticoagula*", "differential diagnosis", "titrat*", "mg/kg", "qtc",
    "hba1c", "ssri", "maoi", "nsaid*", "cyp3a4", "cyp2d6", "sepsis", "troponin", "comorbid*", "etiolog*", "prophyla*", "guideline*",
  ]),
  law: cues([
    "indemnif*", "force majeure", "jurisdiction", "precedent", "tort*", "estoppel", "fiduciary", "arbitration clause", "statute of limitations",
    "case law", "summary judgment", "injunction", "severability", "gdpr article", "article 6", "breach of contract", "bgb", "§",
  ]),
  business_finance: cues([
    "wacc", "dcf", "ebitda", "irr", "npv", "cap table", "term sheet", "liquidation preference", "sharpe ratio", "yield curve",
    "covenant*", "leveraged", "arbitrage", "hedging", "basis points", "unit economics", "ltv", "cac",
  ]),
  accounting: cues([
    "ifrs 16", "ifrs 15", "asc 842", "asc 606", "ias", "gaap", "deferred tax", "right-of-use", "lease liabilit*", "impairment", "goodwill",
    "accrual*", "revenue recognition", "consolidat*", "intercompany", "journal entr*", "reconcil*", "amortiz*", "section 179", "transfer pricing",
  ]),
  software: cues([
    "race condition", "deadlock", "memory leak", "big-o", "time complexity", "concurren*", "idempoten*", "sharding", "replication", "latency",
    "throughput", "consistency", "kubernetes", "terraform", "ci/cd", "garbage collect*", "lock-free", "cache invalidation", "microservice*", "oauth",
  ]),
  science: cues([
    "p-value", "confidence interval", "regression", "hamiltonian", "eigenstate*", "entropy", "enthalpy", "gibbs", "crispr", "pcr", "western blot",
    "spectroscop*", "catalys*", "kinetics", "thermodynamic*", "peer review", "methodolog*", "control group", "in vitro", "in vivo",
  ]),
  creative_marketing: cues([
    "ctr", "cpc", "cpm", "roas", "a/b test*", "funnel", "attribution", "positioning statement", "brand architecture", "persona*", "go-to-market",
    "segmentation", "share of voice", "churn rate",
  ]),
  education: cues([
    "bloom's taxonomy", "formative assessment", "summative assessment", "differentiated instruction", "scaffold*", "learning outcome*",
    "common core", "rubric", "iep", "udl", "backward design", "constructivis*",
  ]),
};

/** A writer naming their profession ("ED physician here", "Soy médica", "Ich bin Rechtsanwalt"): a professional's question. */
export const PROFESSIONAL_ROLE = cues([
  "here:", "physician here", "senior here", "i'm a doctor", "i am a doctor", "i'm a lawyer", "as a lawyer", "as an accountant", "as a cpa",
  "pharmacist", "resident:", "attending", "clinician", "paralegal", "dpo", "cfo", "controller", "auditor", "teacher here", "i teach",
  "soy médic*", "soy abogad*", "soy contador*", "soy profesor*", "je suis médecin", "je suis avocat", "je suis expert-comptable",
  "ich bin arzt", "ich bin ärztin", "ich bin rechtsanwalt", "ich bin rechtsanwältin", "steuerberater*", "ich promoviere", "sou médic*",
  "sou enfermeir*", "sou advogad*", "sou contador*", "я врач", "я юрист", "я бухгалтер", "врач-*", "أنا طبيب", "أنا محام*", "أنا محاسب",
  "我是医生", "我是律师", "我是会计", "医師です", "弁護士です", "税理士", "입니다", "의사입니다",
]);

/**
 * The occupational fields a prompt belongs to. A coding prompt is in
 * software; the other fields need their own vocabulary, and a creative
 * writing request is not in a field merely by its subject.
 *
 * @example fieldsOf("What is the max dose of ibuprofen for a patient with CKD?", { coding: false, creative: false }) // ["medicine"]
 */
export function fieldsOf(prompt: string, task: { coding: boolean; creative: boolean }): Field[] {
  const out: Field[] = [];
  for (const field of FIELDS) {
    if (field === "software") {
      if (task.coding) out.push(field);
      continue;
    }
    const hits = FIELD_WORDS[field].count(prompt);
    // One word is enough for a direct question; a story needs a field's
    // jargon to count as the field's ("a poem about taxes" is not accounting).
    if (hits >= (task.creative ? 3 : 1)) out.push(field);
  }
  return out;
}

/** How many of a field's professional terms the prompt uses. */
export function jargonIn(prompt: string, field: Field): number {
  return EXPERT_JARGON[field].count(prompt);
}
