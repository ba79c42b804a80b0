// Guddu's own Hindi and Hinglish sentiment table (decision 0024). nlp.js's afinn_hi is a
// machine-translated AFINN: it has no romanised words, misses formal praise ("सराहनीय"), and
// scores "बहुत" (very) as −3, so "बहुत अच्छा" came out neutral. These entries are read before
// it. Valences on AFINN's scale (−5..5). Several spellings per romanised word, as people type them.

const entries = (valence: number, words: string): Array<[string, number]> => words.split(/\s+/).filter(Boolean).map((w) => [w, valence]);

export const HINDI_VALENCE: ReadonlyMap<string, number> = new Map([
  // Devanagari
  ...entries(3, 'बढ़िया बढ़िया शानदार उत्कृष्ट सराहनीय प्रशंसनीय बधाई बधाइयाँ बधाइयां बेहतरीन उम्दा प्रेरणादायक प्रेरक अद्भुत शाबाश उत्तम अभिनंदन गौरव गर्व ज़बरदस्त जबरदस्त कमाल लाजवाब'),
  ...entries(2, 'अच्छा अच्छी अच्छे धन्यवाद शुक्रिया आभार आभारी खुशी ख़ुशी खुश प्रसन्न सफल सफलता शुभकामनाएं शुभकामनाएँ सराहना प्रशंसा ऐतिहासिक सुरक्षित राहत सुंदर जय सम्मान सलाम वाह स्वागत स्वागतयोग्य सशक्त प्रभावी कुशल विश्वसनीय उपयोगी शुभ मददगार सहायक तत्पर संतुष्ट सुगम गर्वित प्रशंसनीय धन्य सरल सराहा सराहे ईमानदार'),
  ...entries(1.5, 'मदद सहायता सहयोग त्वरित बेहतर मजबूत मज़बूत आसान समर्थन भरोसा उपलब्धि सुविधाजनक सुविधा समाधान सुलझ सुलझा सुलझाया हल'),
  ...entries(1, 'सही तेज़ तेज शीघ्र जल्दी जिम्मेदार ज़िम्मेदार संवेदनशील'),
  ...entries(-1, 'इंतजार इंतज़ार प्रतीक्षा'),
  ...entries(-1.5, 'समस्या दिक्कत देर शिकायत कमजोर कमज़ोर चिंता डर धीमा धीमी धीमे असुविधा'),
  ...entries(-2, 'बुरा बुरी बुरे परेशान परेशानी दुख दुःख गुस्सा नाराज नाराज़ नाराजगी फंसे फँसे फंसा फँसा फंसी गलत ग़लत निंदा खतरा ख़तरा चिंताजनक तकलीफ अनदेखी अनदेखा उपेक्षा ठप देरी विलंब अटका अटकी अटके रद्द ठुकराया'),
  ...entries(-2.5, 'खराब ख़राब निराश दुखद दुर्भाग्यपूर्ण झूठ झूठा झूठे नाकाम नाकामी असफल विफल विफलता अव्यवस्था खतरनाक हताश असंतुष्ट शर्म अक्षम'),
  ...entries(-3, 'बेकार घटिया शर्मनाक निराशाजनक लापरवाही लापरवाह भ्रष्टाचार भ्रष्ट धोखा अपमान अपमानजनक अन्याय बदतमीज बदतमीजी निंदनीय रिश्वत उत्पीड़न बर्बाद बर्बादी असंवेदनशील दुर्व्यवहार बेशर्म शर्मिंदा शर्मिंदगी बेबस बदहाल'),
  // Romanised (Hinglish)
  ...entries(3, 'badhiya badiya badhia shandaar shandar behtareen behtarin saraahniya sarahniya sarahneey prashansniya badhai badhaai zabardast jabardast zabardust kamaal kamal umda shabash shabaash uttam garv garva gaurav lajawab laajawab prernadayak adbhut'),
  ...entries(2, 'accha acha achha achchha acchha achcha acchi achhi achi acche achhe ache dhanyavaad dhanyawad dhanyavad dhanyawaad dhanybad shukriya shukria abhaar aabhar aabhari abhari khushi khush prasann safal safalta shubhkamnayein shubhkamnaye salaam salam waah wah swagat sundar jai surakshit suraksheet raahat rahat mast madadgar sahayak samman sammaan imaandar imandar tatpar santusht'),
  ...entries(1.5, 'madad sahayata sahyog behtar mazboot majboot aasaan asaan samarthan bharosa upalabdhi suvidha samadhan'),
  ...entries(1, 'sahi tez jaldi shighra zimmedar jimmedar'),
  ...entries(-1, 'intezaar intezar intzaar intjar intazar pratiksha'),
  ...entries(-1.5, 'samasya dikkat dikkt shikayat kamzor kamjor chinta dar dheema dheemi dheeme dhima dhimi asuvidha'),
  ...entries(-2, 'bura buri bure pareshan pareshaan pareshani pareshaani dukh gussa naraz naaraz naraaz narazgi galat ninda khatra takleef taklif deri vilamb atka atki atke radd phanse fanse phansa fansa'),
  ...entries(-2.5, 'kharab kharaab nirash niraash dukhad jhooth jhoot jhootha jhutha nakaam nakam nakami asafal vifal sharam sharm khatarnak hatash'),
  ...entries(-3, 'bekar bekaar ghatiya sharmnaak sharmnak sharmanak niraashajanak nirashajanak laparwahi laparvahi laaparwahi laparwah bhrashtachar bhrasht dhokha apmaan apman anyay anyaay bakwas bakwaas faltu faaltu nikamma nikammi nikamme nindaniya rishwat ghooskhori barbaad barbad badtameez badtamiz besharam thag loot'),
]);

/** "Not" in Hindi, Hinglish and the English words mixed into both. */
export const NEGATORS: ReadonlySet<string> = new Set(['नहीं', 'नही', 'न', 'ना', 'मत', 'बिना', 'nahi', 'nahin', 'nahee', 'nhi', 'nai', 'na', 'mat', 'bina', 'not', 'no', 'never', 'dont', 'didnt', 'isnt', 'wasnt', 'cant', 'wont', 'nothing']);

/** Negators whose object follows them ("बिना हल किए", "without help"). */
export const FORWARD_NEGATORS: ReadonlySet<string> = new Set(['बिना', 'bina', 'without', 'no', 'never']);

/** Words that strengthen the next (or, after a negator, the negated) sentiment word. */
export const INTENSIFIERS: ReadonlyMap<string, number> = new Map([
  ...entries(1.6, 'बहुत बेहद अत्यंत अत्यधिक बेहद बिल्कुल बिलकुल एकदम सबसे bahut bohot bahot bohat bhot bahut behad atyant bilkul bilkul ekdum sabse extremely highly totally'),
  ...entries(1.3, 'काफी काफ़ी ज्यादा ज़्यादा kaafi kafi zyada jyada very really so too'),
]);

/**
 * Romanised Hindi function words: a Latin-script comment that uses them is Hinglish. Words that
 * are also English ("to", "me", "is", "do") are left out: they would call English Hindi.
 */
export const HINGLISH_MARKERS: ReadonlySet<string> = new Set(
  'hai hain ho tha thi hua hui hue ka ki ke ko se mein aap ap yeh ye woh wo kya koi bhi nahi nahin nhi mat hum ham hamara hamare hamari humara humare apna apne apni kab kyun kyon kaise kar karo kare karen karna karte karta kiya kiye diya liye gaya gayi gaye raha rahi rahe sab sabhi bahut bohot bahot bilkul abhi tak aur par lekin kuch ji sahab desh sarkar bharat dhanyavaad dhanyawad shukriya accha acha achha bura kharab bekar madad jaldi jawab mila mili milega hoga hogi wala wali wale unka unki unke iska iski iske'.split(
    ' ',
  ),
);
