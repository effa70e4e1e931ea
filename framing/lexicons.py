"""Lexicons behind the cue detectors, documented and extendable.

Each entry is a regular-expression fragment (case-insensitive unless stated). Extend a
lexicon by passing extra terms to :class:`framing.cues.CueDetector`, e.g.
``CueDetector(extra={"state_actor": ["Rosgvardia", "SBU"]})``; see ``data/lexicons.md``
for the reasoning behind each list.
"""
from __future__ import annotations

#: State actors: governments, heads of state, ministries, militaries, security and
#: intelligence services, police, prosecutors, spokespeople, embassies, state media.
STATE_ACTOR: tuple[str, ...] = (
    # executive and diplomacy
    r"(?:foreign |defen[cs]e |interior |intelligence |justice |information |health )?ministry",
    r"ministers?", r"government", r"cabinet", r"Kremlin", r"White House", r"Pentagon",
    r"State Department", r"Foreign Office", r"Downing Street", r"presidency",
    r"president(?:ial)? (?:office|administration|spokes\w+)", r"(?:the )?president",
    r"prime minister", r"premier", r"embass(?:y|ies)", r"consulate", r"ambassador",
    r"envoy", r"(?:official )?spokes(?:man|woman|person|people)", r"press (?:office|service|department)",
    r"officials?", r"authorities", r"regime", r"Tehran", r"Moscow", r"Beijing", r"Baku",
    r"Pyongyang", r"Minsk", r"Damascus", r"Washington", r"Kyiv", r"Kiev",
    # security, military, police, justice
    r"FSB", r"SVR", r"GRU", r"KGB", r"MVD", r"Rosgvardia", r"Investigative Committee",
    r"SBU", r"IRGC", r"Revolutionary Guards?(?: Corps)?", r"Basij", r"Quds Force", r"MOIS",
    r"intelligence (?:service|agency|agencies|ministry|officials?|chief)", r"security (?:service|services|forces|agency|officials?)",
    r"CIA", r"FBI", r"NSA", r"MI5", r"MI6", r"Mossad", r"Shin Bet", r"DGSE", r"BND", r"KNB",
    r"State Security Service", r"DTX", r"military", r"army", r"armed forces", r"air force", r"navy",
    r"general staff", r"(?:defen[cs]e|military) (?:ministry|officials?|sources?)", r"commanders?",
    r"generals?", r"troops", r"police", r"police (?:officers?|chief)", r"gendarmerie",
    r"prosecutors?(?:'s office| general)?", r"prosecution", r"judiciary", r"state prosecutor",
    # state-run or state-tied media speaking for the state
    r"TASS", r"RIA(?: Novosti)?", r"RT", r"Sputnik", r"IRNA", r"Press TV", r"Tasnim", r"Fars",
    r"Xinhua", r"KCNA", r"IRIB", r"Mehr", r"ISNA", r"Global Times", r"CGTN", r"Rossiya(?: 1| 24)?",
    r"Channel One", r"state(?:-run| media| television| TV| news agency)", r"AzerTac", r"APA", r"BelTA",
)

#: Neutral or endorsing reporting verbs (never a hedge by themselves).
NEUTRAL_VERB: tuple[str, ...] = (
    r"said", r"says", r"saying", r"told", r"tells", r"stated", r"states", r"announced", r"announces",
    r"asserted", r"asserts", r"stressed", r"stresses", r"underlined", r"underscored", r"reported",
    r"reports", r"revealed", r"reveals", r"confirmed", r"confirms", r"added", r"noted", r"explained",
    r"declared", r"emphasi[sz]ed", r"pointed out", r"informed", r"disclosed", r"briefed",
    r"according to", r"in a statement", r"quoted(?: as saying)?",
)

#: Distancing reporting verbs: the writer marks the claim as the source's.
DISTANCING_VERB: tuple[str, ...] = (
    r"claim(?:ed|s|ing)?", r"alleg(?:ed|es|ing)", r"purport(?:ed|s|ing)", r"accus(?:ed|es|ing)",
    r"insist(?:ed|s|ing)?", r"maintain(?:ed|s|ing)", r"contend(?:ed|s)?", r"charg(?:ed|es) that",
)

#: Hedging adverbs and reportative phrases.
HEDGE: tuple[str, ...] = (
    r"allegedly", r"reportedly", r"purportedly", r"supposedly", r"ostensibly", r"so-called",
    r"(?:is|are|was|were) (?:said|believed|thought|alleged|reported|claimed) to",
    r"what (?:he|she|they|it) (?:said|called|described as) (?:was|were)", r"on suspicion of",
    r"suspected of", r"alleged", r"self-styled", r"self-proclaimed", r"dubious", r"questionable",
)

#: Non-verification notes.
NON_VERIFICATION: tuple[str, ...] = (
    r"could not (?:be )?(?:independently )?(?:verif\w+|confirm\w*|corroborat\w*)",
    r"(?:has|have|had) not (?:been )?(?:independently )?(?:verified|confirmed|corroborated)",
    r"(?:was|were|is|are) not (?:immediately |independently )?(?:verified|verifiable|confirmed)",
    r"not (?:been )?independently (?:verified|confirmed)", r"unverified", r"unconfirmed", r"unsubstantiated",
    r"without (?:providing |offering |giving |presenting |citing )?(?:any |much )?evidence",
    r"(?:provided|offered|gave|presented) no evidence", r"no evidence", r"baseless", r"unfounded",
    r"(?:did not|didn't) provide (?:any )?evidence", r"veracity",
)

#: Denials and counter-claims (they block an uncritical state claim).
DENIAL: tuple[str, ...] = (
    r"den(?:ied|ies|y|ying)", r"rejected", r"rejects", r"dismissed", r"dismisses", r"refuted",
    r"disputed", r"disputes", r"contradict\w*", r"rebuff\w*", r"called (?:it|the \w+) (?:false|fake|a lie)",
)

#: Confessions, admissions and testimony.
CONFESSION: tuple[str, ...] = (
    r"confess\w*", r"admission", r"admitted", r"admits", r"testimony", r"testified", r"recant\w*",
    r"self-incriminat\w*",
)

#: Coercion, staging and unreliability of a confession.
COERCION: tuple[str, ...] = (
    r"forced", r"coerc\w+", r"under duress", r"duress", r"tortur\w*", r"beat(?:en|ings?)?",
    r"televised", r"on (?:state )?(?:TV|television)", r"staged", r"scripted", r"extracted",
    r"under pressure", r"retract\w*", r"recant\w*", r"show trials?", r"rights groups?",
    r"Amnesty(?: International)?", r"Human Rights Watch", r"ill-treatment", r"solitary confinement",
    r"threat(?:s|ened) (?:to|against) (?:his|her|their) (?:family|relatives)",
)

#: Speculation markers.
SPECULATION: tuple[str, ...] = (
    r"(?:may|might|could|must) (?:well )?have(?: been)?", r"likely", r"apparently", r"appears? to",
    r"appeared to", r"seems? to", r"seemed to", r"(?:is|are|was|were) seen as", r"perhaps", r"possibly",
    r"presumably", r"probably", r"suggests? that", r"arguably", r"it is (?:believed|thought) that",
    r"speculat\w+", r"suspect(?:ed|s)? that",
)

#: Imputed purpose and motive constructions.
PURPOSE: tuple[str, ...] = (
    r"seek(?:s|ing)? to", r"sought to", r"wants? to", r"wanted to", r"in a bid to", r"aim(?:ed|s|ing)? (?:at|to)",
    r"designed to", r"intended to", r"meant to", r"to send a (?:message|signal)", r"sending a (?:message|signal)",
    r"takes? orders from", r"taking orders from", r"motiv\w+", r"ulterior", r"pretext", r"(?:hidden|real|true) (?:agenda|reason|goal|aim)",
    r"agenda", r"ploy", r"in (?:an attempt|an effort|order) to", r"attempt(?:s|ing)? to", r"trying to", r"tries to",
    r"so as to", r"with the (?:aim|goal|intention|purpose) of", r"as a way to", r"to divert attention",
    r"to distract", r"to punish", r"to pressure", r"to intimidate", r"to justify", r"to undermine",
    r"to destabili[sz]e", r"retaliat\w+", r"revenge",
)

#: Contested content: culprits, plots, guilt, spying, casualties, weapons, threats, foreign hands.
CONTESTED: tuple[str, ...] = (
    r"terror\w*", r"spy", r"spies", r"spying", r"espionage", r"plot\w*", r"conspir\w*", r"agents?",
    r"sabotage", r"saboteurs?", r"mercenar\w+", r"infiltrat\w+", r"neo-Nazis?", r"Nazis?", r"extremis\w+",
    r"killed", r"casualt\w+", r"destroyed", r"shot down", r"eliminated", r"neutrali[sz]ed", r"wounded",
    r"missiles?", r"drones?", r"nuclear", r"weapons?", r"attack\w*", r"strikes?", r"bomb\w*",
    r"backed", r"funded", r"sponsored", r"orchestrat\w+", r"behind the", r"on behalf of", r"hands? of",
    r"foreign", r"Mossad", r"CIA", r"MI6", r"Zionist", r"hostile", r"enemy", r"enemies", r"riots?",
    r"rioters", r"separatists?", r"militants?", r"traitors?", r"treason", r"smuggl\w+", r"provocation\w*",
    r"threat\w*", r"genocide", r"war crimes?", r"massacre\w*", r"fake", r"propaganda",
)

#: Negation (for behavioural contrasts: "did not claim").
NEGATION: tuple[str, ...] = (r"not", r"no", r"never", r"n't", r"neither", r"nor", r"without")

#: All lexicons by cue type, in the order detectors report them.
LEXICONS: dict[str, tuple[str, ...]] = {
    "state_actor": STATE_ACTOR,
    "neutral_verb": NEUTRAL_VERB,
    "distancing_verb": DISTANCING_VERB,
    "hedge": HEDGE,
    "non_verification": NON_VERIFICATION,
    "denial": DENIAL,
    "confession": CONFESSION,
    "coercion": COERCION,
    "speculation": SPECULATION,
    "purpose": PURPOSE,
    "contested": CONTESTED,
    "negation": NEGATION,
}

#: Lexicons whose entries are matched case-sensitively (acronyms: "RT", "APA", "Fars").
CASE_SENSITIVE: frozenset[str] = frozenset({"RT", "APA", "Fars", "Mehr", "ISNA", "Sputnik", "Tehran", "Moscow",
                                            "Beijing", "Baku", "Pyongyang", "Minsk", "Damascus", "Washington",
                                            "Kyiv", "Kiev"})

#: Whose state a state actor speaks for: country -> names, adjectives, capitals, institutions
#: and office holders that tie a state actor to it (matched case-sensitively, as written).
#: Used by :func:`framing.cues.claimant_country` to say whose claim a sentence carries; it
#: is not part of the cue features. Extend it with ``claimant_country(..., countries=...)``.
STATE_COUNTRY: dict[str, tuple[str, ...]] = {
    "China": (r"China", r"Chinese", r"Beijing", r"PRC", r"Xinhua", r"Global Times", r"CGTN", r"People's Daily",
              r"CCTV", r"Xi Jinping", r"Xi", r"Li Keqiang", r"Wang Yi", r"Zhao Lijian", r"Hua Chunying",
              r"Wang Wenbin", r"Geng Shuang", r"Cui Tiankai", r"Liang Wannian", r"National Health Commission",
              r"Communist Party", r"CPC", r"CCP", r"PLA", r"Wuhan (?:government|authorities|officials)",
              r"Hubei (?:government|authorities|officials)"),
    "United States": (r"U\.S\.", r"US", r"USA", r"United States", r"American", r"Washington", r"White House",
                      r"Pentagon", r"State Department", r"Trump", r"Pompeo", r"Biden", r"Blinken", r"Pence",
                      r"Psaki", r"McEnany", r"Ratcliffe", r"Haines", r"Director of National Intelligence", r"ODNI",
                      r"Redfield", r"Azar", r"Navarro", r"Kudlow", r"Esper", r"Austin", r"Obama", r"Kerry",
                      r"Clinton", r"FBI", r"CIA", r"NSA", r"HHS", r"NIH", r"U\.S\.-led"),
    "Russia": (r"Russia", r"Russian", r"Moscow", r"Kremlin", r"Putin", r"Lavrov", r"Peskov", r"Zakharova", r"Shoigu",
               r"FSB", r"SVR", r"GRU", r"TASS", r"RIA(?: Novosti)?", r"Sputnik", r"RT"),
    "Iran": (r"Iran", r"Iranian", r"Tehran", r"IRGC", r"Khamenei", r"Rouhani", r"Raisi", r"Zarif", r"Amir-Abdollahian",
             r"IRNA", r"Press TV", r"Tasnim", r"Fars", r"Mehr"),
    "United Kingdom": (r"Britain", r"British", r"UK", r"U\.K\.", r"Downing Street", r"Foreign Office", r"Whitehall",
                       r"Boris Johnson", r"Raab"),
    "Australia": (r"Australia", r"Australian", r"Canberra", r"Scott Morrison", r"Marise Payne", r"Dutton"),
    "India": (r"India", r"Indian", r"New Delhi", r"Modi", r"Jaishankar", r"MEA"),
    "Azerbaijan": (r"Azerbaijan", r"Azerbaijani", r"Baku", r"Aliyev", r"AzerTac", r"APA"),
    "Ukraine": (r"Ukraine", r"Ukrainian", r"Kyiv", r"Kiev", r"Zelensky(?:y)?", r"SBU"),
    "Israel": (r"Israel", r"Israeli", r"Netanyahu", r"IDF", r"Mossad", r"Shin Bet"),
}
