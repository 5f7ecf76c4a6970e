/**
 * The task categories of a prompt: coding, math, creative writing and
 * instruction following. Each is a small set of cues that must be read
 * together (a "function" is code only beside other code signs; "a poem about
 * taxes" is creative writing, not accounting), in the languages the arena
 * sees most.
 */
import { cues } from "./cues";

const CODE_SYNTAX = [
  /```/,
  /\b(def|class)\s+\w+\s*[(:{]/,
  /\b(const|let|var)\s+\w+\s*=/,
  /^\s*(import\s+[\w{*]|from\s+\w+\s+import|#include|public static|package\s+\w)/m,
  /\b(SELECT\s.+\sFROM|console\.log|println|printf|===|!==|=>)/,
  /[{};]\s*\n.*[{};]/,
  /\b\w+\([^()\n]*\)\s*(\{|=>|:)/,
  /(^|\n)\s*(\$ |>>> |npm |pip |git |docker |kubectl )/,
];

const CODE_WORDS = cues([
  "git", "flexbox", "css grid", "div", "js", "terraform", "mysql", "postgres*", "sqlite", "mongodb", "redis", "nginx", "jvm", "java code", "in java",
  "python script", "in python", "with python", "using python", "python code", "python function", "python 3", "python3", "javascript", "typescript", "c++", "c#", "golang", "rust code", "kotlin", "swift code", "php", "ruby on rails",
  "sql", "bash", "shell script", "powershell", "regex", "regular expression", "html", "css", "json file", "parse json", "json schema", "react", "node.js", "nodejs",
  "django", "flask", "spring boot", "pandas", "numpy", "dataframe", "api endpoint", "rest api", "graphql", "docker", "kubernetes",
  "compile*", "compiler", "debug*", "stack trace", "traceback", "exception", "segfault", "refactor*", "unit test*", "npm", "pip install",
  "git ", "github", "merge conflict", "pull request", "algorithm", "data structure", "linked list", "binary tree", "big-o", "time complexity",
  "source code", "codebase", "programming", "program that", "script that", "function that", "write a function", "write code", "code review",
  "bug in", "null pointer", "undefined is not", "async", "await", "promise", "thread", "mutex", "endpoint", "backend", "frontend",
  "database schema", "query", "index on", "excel formula", "vba", "macro", "latex",
  // es, pt, fr, de, it
  "código", "codigo", "programa que", "función que", "funcion que", "programación", "programacion", "programação", "depurar",
  "code source", "programmer en", "programmation", "fonction qui", "déboguer", "quellcode", "programmieren", "funktion, die", "fehlermeldung",
  "codice", "programmazione", "funzione che",
  // ru, ar, hi, tr
  "код", "программ*", "функци*", "скрипт", "ошибка компиляции", "برمجة", "كود", "دالة", "प्रोग्राम", "कोड", "kod", "programlama", "fonksiyon",
  // zh, ja, ko
  "代码", "程序", "编程", "报错", "调试", "コード", "プログラム", "バグ", "デバッグ", "코드", "프로그램", "함수",
]);

const SNAKES = /snake|reptile|serpent|terrarium|zoo|serpiente|serpent|schlange|змея|蛇/i;

/**
 * True when a prompt asks about software: code syntax, or programming
 * vocabulary outside a story (a tale about a programmer is creative
 * writing). "Python" alone is the language unless snakes are about.
 */
export function isCodingPrompt(prompt: string): boolean {
  if (CODE_SYNTAX.some((cue) => cue.test(prompt))) return true;
  if (isCreativeWritingPrompt(prompt)) return false;
  return CODE_WORDS.test(prompt) || (/python/i.test(prompt) && !SNAKES.test(prompt));
}

const MATH_WORDS = cues([
  "solve for", "equation", "integral", "integrate", "derivative", "differentiate", "limit of", "calculus", "algebra*", "geometry", "trigonometr*",
  "probability", "expected value", "variance", "standard deviation", "matrix", "matrices", "eigenvalue*", "vector space", "prime number*",
  "factorial", "polynomial", "quadratic", "theorem", "prove that", "proof", "lemma", "modulo", "logarithm", "exponent*", "fraction*",
  "percentage of", "how many ways", "combinatori*", "permutation*", "sum of", "arithmetic", "calculate", "compute the", "simplify", "inequality",
  "triangle", "circle", "radius", "area of", "volume of", "hypotenuse", "math", "maths", "mathematic*",
  "ecuación", "ecuacion", "integral de", "derivada", "probabilidad", "calcula*", "matemátic*", "demuestra", "triángulo",
  "équation", "dérivée", "intégrale", "probabilité", "démontrer", "calculer", "mathémati*", "gleichung", "ableitung", "wahrscheinlichkeit",
  "berechne*", "beweise", "mathemati*", "equação", "derivada de", "probabilidade", "equazione", "derivata", "probabilità",
  "уравнени*", "производн*", "интеграл", "вероятност*", "вычисли*", "докаж*", "математик*", "معادلة", "احسب", "تكامل", "مشتقة", "احتمال",
  "समीकरण", "गणित", "denklem", "türev", "olasılık", "hesapla*",
  "方程", "求解", "积分", "导数", "概率", "证明", "计算", "数学", "微分", "確率", "計算", "証明", "数学", "방정식", "확률", "미분", "계산",
]);

const MATH_SYNTAX = [/\d\s*%\s*(of|de|von|от)\s/i, /\d\s*[+\-*/^×÷=]\s*\d/, /[∫∑√π≤≥≠∞]/, /\b[xyn]\s*\^\s*\d/, /\b\d+\s*x\s*[+-]/, /\\frac|\\int|\\sum/];

/** Words that make a prompt mathematical on their own. */
const MATH_STRONG = cues([
  "probability", "chance that", "equation", "integral", "derivative", "theorem", "prove that", "show that", "irrational", "limit of",
  "how many ways", "arrange the letters", "compounded", "compound interest", "as a fraction", "to a fraction", "percent of",
  "solve for", "eigenvalue*", "factorial", "combinatori*", "permutation*", "modulo", "logarithm",
  "tend vers", "probabilité", "beweise", "wahrscheinlichkeit", "probabilidad", "probabilidade", "probabilità", "уравнени*", "реши",
  "вероятност*", "докажи", "تكامل", "معادلة", "احتمال", "求函数", "极值", "概率", "证明", "方程", "确率", "確率", "求めよ", "求めて", "방정식", "확률",
]);

/** A word problem: several quantities and a question about them (a train's speed, a bill split five ways). */
function isWordProblem(prompt: string): boolean {
  const quantities = prompt.match(/\d+(?:[.,]\d+)?\s*(?:%|km\/h|mph|km|m|kg|hours?|horas|minutes?|people|years?|h|\$)|\$\s*\d+|\d+\s*(?:个|個|人|時間|小时)/giu)?.length ?? 0;
  const numbers = prompt.match(/\d+(?:[.,]\d+)?/g)?.length ?? 0;
  const asks = /how (much|many|long)|when (does|will)|what('s| is) the (total|probability|chance|average|sum|difference|speed)|em quanto|cu[aá]nto|combien|wie viel|сколько|多少|いくら/i.test(prompt);
  return asks && numbers >= 2 && quantities >= 1 && prompt.length < 400;
}

/** True when a prompt asks for mathematics solved or explained, not merely a number. */
export function isMathPrompt(prompt: string): boolean {
  if (MATH_STRONG.test(prompt) || isWordProblem(prompt)) return true;
  const words = MATH_WORDS.count(prompt);
  const syntax = MATH_SYNTAX.filter((cue) => cue.test(prompt)).length;
  return words >= 2 || (words >= 1 && syntax >= 1) || syntax >= 2;
}

const CREATIVE_WORDS = cues([
  "poem", "poetry", "haiku", "sonnet", "limerick", "lyrics", "song about", "a song", "short story", "a story", "bedtime story", "fairy tale",
  "fable", "novel", "chapter", "screenplay", "script for a", "scene where", "dialogue between", "monologue", "role-play", "roleplay",
  "pretend you are", "imagine you are", "write a joke", "tell me a joke", "jokes", "rap", "verse", "rhyme*", "fan fiction", "fanfic",
  "plot twist", "character named", "once upon a time", "creative writing", "write a tale", "eulogy", "toast for", "wedding speech",
  "poema", "poesía", "cuento", "historia sobre", "canción", "relato", "chiste", "crónica", "crônica", "poème", "poésie", "histoire", "conte", "chanson", "nouvelle",
  "gedicht", "geschichte", "märchen", "liedtext", "witz", "poesia", "conto", "racconto", "canzone", "barzelletta", "história",
  "стих*", "рассказ", "сказк*", "песн*", "поэм*", "анекдот", "قصيدة", "قصة", "شعر", "कविता", "कहानी", "şiir", "hikaye", "masal",
  "诗", "绝句", "七言", "五言", "故事", "小说", "歌词", "剧本", "笑话", "詩", "物語", "小説", "俳句", "短歌", "歌詞", "시를", "소설", "이야기", "동화",
]);

const LITERARY_ANALYSIS = cues([
  "analy*", "explain the", "summar*", "meaning of", "interpret*", "who wrote", "what is the theme", "themes of", "literary device*",
  "analiza", "explica el", "résume", "analyse", "interprétation", "interpretier*", "анализ*", "проанализируй", "分析", "解释", "解説",
]);

const CREATIVE_VERBS = cues([
  "write", "writing", "give me", "compose", "create", "imagine", "tell", "invent", "escribe", "escríbeme", "écris", "écrire", "schreib*", "escreva", "scrivi",
  "напиши", "сочини", "придумай", "اكتب", "लिखो", "लिखिए", "yaz", "写", "作", "書いて", "作って", "써", "지어",
]);

/** True when a prompt asks for original creative text: stories, poems, lyrics, scripts, jokes, role-play. */
export function isCreativeWritingPrompt(prompt: string): boolean {
  if (!CREATIVE_WORDS.test(prompt)) return false;
  // "Analyse this poem" is literature, not writing; a bare request ("a
  // four-line poem about the Seine, please") is writing.
  if (CREATIVE_VERBS.test(prompt) || /role-?play|pretend you are|imagine you are|once upon/i.test(prompt)) return true;
  return !LITERARY_ANALYSIS.test(prompt);
}

const FORMAT_RULES = [
  /\b(exactly|at most|at least|no more than|no fewer than|fewer than|under|maximum of|max\.?|up to)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(words?|sentences?|bullet|bullets|points?|paragraphs?|lines?|items?|characters?|tokens?|steps?|examples?)/i,
  /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)[- ](word|sentence|line|paragraph|bullet|point|item|second|minute)s?\b/i,
  /\b(in|into|using)\s+(exactly\s+)?(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(words|sentences|lines|paragraphs|bullets|points|steps)\b/i,
  /\b(respond|answer|reply|output|return|format|formatted)\b.{0,30}\b(only|solely|exclusively|strictly)?\s*(in|as)\s+(json|yaml|csv|xml|markdown|a table|a list|bullet points|a numbered list|plain text|uppercase|lowercase|all caps)/i,
  /\b(only (respond|answer|reply|output|return)|do not (use|include|mention|say|write)|don't (use|include|mention|say|write)|without (using|mentioning) (the|any) (word|letter)|avoid (the word|using))\b/i,
  /\b(in the style of|in a (formal|casual|friendly|professional|sarcastic|pirate) (tone|voice|style)|use the word|start (each|every|your) (line|sentence|answer|response) with|end (each|every|your) (line|sentence|answer|response) with|each (line|sentence) (must|should)|must (rhyme|include|contain|start|end))\b/i,
  /\b(translate (it|this|the following)? ?(in)?to|respond in (english|spanish|french|german|chinese|japanese))\b/i,
];

const FORMAT_RULES_OTHER = cues([
  "comma-separated", "separated by commas", "all caps", "no prose", "no explanation", "without explanation", "just the number", "only the number",
  "only give", "give only", "only the", "just the names", "respond only", "reply only", "answer only", "output only", "as a markdown table",
  "as a table", "numbered list", "bullet points", "in alphabetical order", "acrostic", "-second", "word limit",
  "sin explicación", "solo el", "solo los", "separados por comas", "sans explication", "uniquement", "séparés par des virgules", "quatre vers",
  "durch komma getrennt", "nur die", "ohne erklärung", "apenas o", "apenas os", "sem explicação", "solo il", "senza spiegazioni",
  "только названия", "без пояснений", "нумерованным списком", "через запятую", "одним словом", "فقط", "بدون شرح",
  "七言", "五言", "绝句", "只给", "只要", "不要解释", "用表格", "だけ", "のみ", "説明不要", "表形式", "만 알려", "설명 없이",
  "en exactamente", "máximo", "como máximo", "no más de", "en formato json", "solo responde", "sin usar", "en viñetas",
  "en exactement", "pas plus de", "au maximum", "au format json", "réponds uniquement", "sans utiliser", "en puces",
  "genau drei", "höchstens", "nicht mehr als", "im json-format", "antworte nur", "ohne das wort", "stichpunkte",
  "no máximo", "não mais de", "apenas em", "formato json", "non più di", "al massimo", "solo in formato",
  "не более", "ровно", "максимум", "в формате json", "только ответ", "не используя", "ответь только", "لا تزيد عن", "بالضبط", "بصيغة json",
  "शब्दों में", "en fazla", "sadece json",
  "不超过", "字以内", "以内", "用json", "只回答", "不要使用", "分点", "字以内で", "以内で", "箇条書き", "のみで答え", "json形式", "이내로", "만 답", "글자",
]);

/** True when a prompt sets explicit, checkable rules for the answer's form. */
export function isInstructionFollowingPrompt(prompt: string): boolean {
  return FORMAT_RULES.some((rule) => rule.test(prompt)) || FORMAT_RULES_OTHER.test(prompt);
}
