"""The labelled matching fixture: three agencies' datasets that describe some of the same
customer problems in their own words (docs/matching.md).

* 34 true pairs: a problem written once by agency A (dataset `match-a`) and once by agency B
  (`match-b`, pairs 1–22) or C (`match-c`, pairs 23–34), with other words, synonyms, another
  word order, and some sides with only the Swedish or only the English statement (or no
  English at all).
* 14 hard negatives: different problems in the same life event and under the same general
  insight as a true pair, often with shared words ("intyg", "tillstånd", "pension").
* 72 distractors: 36 topics (a benefit, permit or service), each written by two of the
  agencies as two different problems (a long wait for a decision, a poor mobile e-service, a
  fee that is hard to find), so a topic word alone does not make a match.

Every side is a specific insight of its own id; the datasets share their life events and the
five general insights (the same ids, so they are one node each). Made up for the test, marked
illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Side = tuple[str, str | None, str | None, str | None]
"""(title, statement, title_en, statement_en) of one agency's version."""

LIFE_EVENTS = {
    "bli-sjuk": ("Bli sjuk", "Falling ill"), "fa-barn": ("Få barn", "Having a child"),
    "bli-arbetslos": ("Bli arbetslös", "Losing one's job"), "flytta": ("Flytta", "Moving"),
    "ga-i-pension": ("Gå i pension", "Retiring"),
    "nar-nagon-har-dott": ("När någon har dött", "When someone has died"),
    "starta-foretag": ("Starta företag", "Starting a business"),
    "flytta-till-sverige": ("Flytta till Sverige", "Moving to Sweden"),
}
GENERALS = {
    "g-kurir": ("Kunden får agera kurir", "The customer has to act as a courier"),
    "g-vem": ("Svårt att veta vem som gör vad", "Hard to know who does what"),
    "g-projekt": ("Kunden blir sin egen projektledare",
                  "The customer becomes their own project manager"),
    "g-ska": ("Omöjligt att lära sig myndighetska", "Impossible to learn officialese"),
    "g-efter": ("Får veta först i efterhand", "Finds out only afterwards"),
}

PAIRS: list[tuple[str, str, Side, Side]] = [
    ("bli-sjuk", "g-kurir",
     ("Läkarintyget måste skickas in av den sjuke själv",
      "Den som är sjuk får själv skicka läkarintyget till Försäkringskassan.",
      "The sick person has to send in the medical certificate",
      "People on sick leave must forward the doctor's certificate themselves."),
     ("Patienten blir budbärare för intyget från vården",
      "Vården lämnar intyget till patienten, som sedan ska skicka det vidare till handläggaren.",
      "The patient carries the certificate from the clinic",
      "The clinic hands the certificate to the patient, who then has to pass it on to the "
      "case officer.")),
    ("nar-nagon-har-dott", "g-vem",
     ("Efterlevande vet inte vem som ska få dödsbeskedet",
      "Anhöriga vet inte vilka myndigheter som behöver underrättas om dödsfallet.",
      "Survivors do not know who must be told about the death",
      "Relatives do not know which agencies need to be notified of the death."),
     ("Oklart vilka som måste informeras när någon dött",
      "Det är otydligt för de anhöriga vilka myndigheter och företag som ska få veta att "
      "personen har avlidit.", None, None)),
    ("ga-i-pension", "g-efter",
     ("Pensionen blev lägre än väntat",
      "Många upptäcker först vid första utbetalningen att pensionen är lägre än de räknat med.",
      "The pension turned out lower than expected",
      "Many only discover at the first payment that their pension is lower than they had "
      "counted on."),
     ("Överraskning vid första pensionsutbetalningen", None,
      "Surprise at the first pension payment",
      "Retirees find out too late, when the first payment arrives, that the amount is smaller "
      "than they expected.")),
    ("fa-barn", "g-ska",
     ("Svårt att förstå reglerna för föräldrapenning",
      "Reglerna om dagar, nivåer och överlåtelse av föräldrapenning är svåra att begripa.",
      "Parental benefit rules are hard to understand",
      "The rules about days, levels and transferring parental benefit are hard to grasp."),
     ("Föräldrapenningens regelverk upplevs som obegripligt",
      "Blivande föräldrar förstår inte hur dagarna fungerar eller hur de kan dela dem mellan "
      "sig.", "The parental benefit system feels incomprehensible",
      "Expecting parents do not understand how the days work or how they can share them.")),
    ("bli-arbetslos", "g-projekt",
     ("Den arbetslöse måste själv samordna a-kassa och Arbetsförmedlingen",
      "Den som blir arbetslös får själv hålla ihop kontakterna med a-kassan och "
      "Arbetsförmedlingen.",
      "The unemployed person coordinates the unemployment fund and the employment service",
      None),
     ("Arbetssökande håller själva ihop kontakterna med flera aktörer",
      "Efter uppsägningen måste personen själv se till att både arbetslöshetskassan och "
      "arbetsförmedlingen får rätt uppgifter i tid.",
      "Jobseekers must hold together their contacts with several actors",
      "After being laid off, people must make sure the unemployment insurance fund and the "
      "employment service get the right information in time.")),
    ("flytta", "g-kurir",
     ("Adressändringen måste göras hos varje aktör",
      "Vid flytt måste man anmäla ny adress till flera myndigheter och företag var för sig.",
      "The change of address must be made with each actor",
      "When moving you have to report the new address to several agencies and companies "
      "separately."),
     ("Ny adress ska anmälas på många ställen",
      "Den som flyttar får själv meddela sin nya adress till bank, försäkringsbolag och "
      "myndigheter, en i taget.", None,
      "People who move must tell their bank, insurer and the agencies about the new address, "
      "one at a time.")),
    ("starta-foretag", "g-vem",
     ("Nya företagare vet inte vilka tillstånd som krävs",
      "Den som startar företag vet inte vilka tillstånd och registreringar verksamheten "
      "behöver.", "New business owners do not know which permits are needed",
      "People starting a business do not know which permits and registrations the business "
      "requires."),
     ("Oklart vilka tillstånd och registreringar en ny firma behöver",
      "Blivande företagare har svårt att ta reda på vilka myndigheter som ska ge tillstånd "
      "innan de kan börja.", "Unclear which licences a new firm needs",
      "Would-be entrepreneurs struggle to find out which authorities must grant licences "
      "before they can start.")),
    ("flytta-till-sverige", "g-ska",
     ("Nyanlända förstår inte myndigheternas brev",
      "Breven från myndigheterna är skrivna på ett språk som nyanlända inte förstår.",
      "Newcomers do not understand letters from agencies",
      "Letters from the agencies are written in a language newcomers cannot understand."),
     ("Myndighetsbrev obegripliga för den som just kommit till Sverige", None,
      "Official letters are incomprehensible to recent arrivals",
      "People who have just arrived in Sweden cannot make sense of the letters they receive "
      "from authorities.")),
    ("bli-sjuk", "g-efter",
     ("Sjukpenningen drogs in utan förvarning",
      "Den sjukskrivne fick veta först efteråt att rätten till sjukpenning hade prövats och "
      "upphört.", "Sickness benefit stopped without warning",
      "The person on sick leave learned only afterwards that the right to sickness benefit "
      "had been assessed and ended."),
     ("Beskedet om indragen ersättning kommer för sent",
      "Många sjukskrivna får beskedet om att ersättningen upphör när den redan har slutat "
      "betalas ut.", "The notice that the benefit ends comes too late",
      "Many people on sick leave are told that their benefit ends after payments have "
      "already stopped.")),
    ("nar-nagon-har-dott", "g-projekt",
     ("Anhöriga får själva samordna bouppteckningen",
      "Efterlevande måste själva samla in uppgifter från banker och myndigheter till "
      "bouppteckningen.", "Relatives must coordinate the estate inventory themselves",
      "Survivors have to gather information from banks and agencies for the estate inventory "
      "on their own."),
     ("Dödsboet måste själv hämta uppgifter från många håll",
      "Den som ordnar bouppteckningen får ringa runt till banker, försäkringsbolag och "
      "myndigheter för att få underlag.",
      "The estate has to collect information from many places", None)),
    ("fa-barn", "g-kurir",
     ("Föräldrar måste lämna samma uppgifter om barnet flera gånger",
      "Uppgifter om det nyfödda barnet ska lämnas till flera myndigheter trots att de redan "
      "finns registrerade.", "Parents give the same information about the child several times",
      "Details about the newborn must be given to several agencies although they are already "
      "registered."),
     ("Samma barnuppgifter efterfrågas av flera myndigheter",
      "Nyblivna föräldrar får fylla i barnets personuppgifter om och om igen hos olika "
      "myndigheter.", "Several agencies ask for the same details about the child",
      "New parents fill in the child's personal details again and again for different "
      "agencies.")),
    ("ga-i-pension", "g-vem",
     ("Svårt att veta var man ansöker om pension",
      "Den som ska gå i pension vet inte om ansökan görs hos Pensionsmyndigheten, "
      "tjänstepensionsbolaget eller båda.", "Hard to know where to apply for a pension",
      "People about to retire do not know whether to apply to the Pensions Agency, the "
      "occupational pension company or both."),
     ("Otydligt vem som betalar ut vilken del av pensionen",
      "Blivande pensionärer förstår inte vilken aktör som ansvarar för allmän pension och "
      "vilken för tjänstepension, och var de ska ansöka.", None,
      "Future pensioners do not understand which actor handles the public pension and which "
      "the occupational pension, or where to apply.")),
    ("bli-arbetslos", "g-ska",
     ("Reglerna för a-kassa är svåra att förstå",
      "Villkoren för ersättning från a-kassan, som arbetsvillkoret, är svåra att förstå.",
      "Unemployment insurance rules are hard to understand",
      "The conditions for unemployment benefit, such as the work requirement, are difficult "
      "to understand."),
     ("Arbetslöshetsersättningens villkor upplevs som krångliga",
      "Den som blivit uppsagd begriper inte hur arbetsvillkoret och ersättningsnivåerna "
      "räknas.", "The conditions of unemployment benefit seem complicated",
      "Someone who has been laid off cannot work out how the work condition and benefit "
      "levels are calculated.")),
    ("flytta-till-sverige", "g-vem",
     ("Nyanlända vet inte i vilken ordning de ska kontakta myndigheterna",
      "Den som flyttar till Sverige vet inte om folkbokföring, id-kort eller bankkonto ska "
      "ordnas först.", "Newcomers do not know in which order to contact agencies",
      "People moving to Sweden do not know whether to register, get an ID card or open a bank "
      "account first."),
     ("Ordningen mellan folkbokföring, id-kort och bankkonto är oklar",
      "Inflyttade fastnar eftersom banken kräver id-kort och id-kortet kräver folkbokföring.",
      "The order of registration, ID card and bank account is unclear",
      "New arrivals get stuck because the bank wants an ID card and the ID card requires "
      "population registration.")),
    ("starta-foretag", "g-ska",
     ("Momsreglerna är svåra för nya företagare",
      "Nya företagare förstår inte när och hur de ska redovisa moms.",
      "VAT rules are hard for new business owners", None),
     ("Nystartade förstår inte hur mervärdesskatten ska redovisas",
      "Den som just startat eget har svårt att veta vilka perioder och blanketter som gäller "
      "för momsredovisningen.", "Start-ups do not understand how to report value added tax",
      "Someone who has just started a business finds it hard to know which periods and forms "
      "apply for VAT returns.")),
    ("bli-sjuk", "g-projekt",
     ("Den sjukskrivne får själv samordna vården och arbetsgivaren",
      "Under sjukskrivningen måste personen själv hålla ihop kontakterna mellan vården, "
      "arbetsgivaren och Försäkringskassan.",
      "The person on sick leave coordinates care and employer",
      "During sick leave the person has to keep the contacts between care, employer and the "
      "Social Insurance Agency together."),
     ("Sjukskrivna blir sina egna samordnare för rehabiliteringen",
      "Ingen håller ihop rehabiliteringen, så patienten får själv se till att vårdcentralen "
      "och chefen pratar med varandra.",
      "People on sick leave become their own rehabilitation coordinators", None)),
    ("fa-barn", "g-efter",
     ("Föräldrar får veta för sent att dagar går förlorade",
      "Många föräldrar upptäcker först när barnet fyllt fyra att föräldrapenningdagar har gått "
      "förlorade.", "Parents learn too late that days are lost",
      "Many parents only discover when the child turns four that parental benefit days have "
      "been lost."),
     ("Sparade föräldradagar försvinner utan att föräldrarna vet om det", None,
      "Saved parental days expire without parents knowing",
      "Parents are not told in advance that unused parental benefit days lapse at the child's "
      "fourth birthday.")),
    ("ga-i-pension", "g-kurir",
     ("Pensionären måste själv skicka intyg om utlandstid",
      "Den som har arbetat utomlands får själv ta fram och skicka in intyg om sin utländska "
      "försäkringstid.", "Retirees must send proof of time abroad themselves",
      "Those who worked abroad have to obtain and send in proof of their foreign insurance "
      "periods."),
     ("Utländsk pensionsrätt kräver att den enskilde hämtar papper",
      "För att få utländsk pension räknad måste personen själv begära handlingar från det "
      "andra landet och lämna dem vidare.",
      "Foreign pension rights require the individual to fetch documents", None)),
    ("bli-arbetslos", "g-efter",
     ("Arbetssökande får veta för sent att de missat en aktivitetsrapport",
      "Den arbetssökande får besked om varning först efter att aktivitetsrapporten redan är "
      "försenad.", "Jobseekers learn too late they missed an activity report",
      "The jobseeker is warned only after the activity report is already late."),
     ("Varning om indragen ersättning kommer efter missad rapport",
      "Många får veta att ersättningen kan dras in först när de redan har glömt att lämna sin "
      "månadsrapport.", None,
      "Many are told their benefit may be withdrawn only once they have already forgotten to "
      "submit their monthly report.")),
    ("nar-nagon-har-dott", "g-ska",
     ("Begrepp som dödsbo och arvskifte är obegripliga",
      "Anhöriga förstår inte juridiska begrepp som dödsbodelägare, bouppteckning och "
      "arvskifte.",
      "Terms like estate and distribution of inheritance are incomprehensible",
      "Relatives do not understand legal terms such as estate shareholder, estate inventory "
      "and inheritance distribution."),
     ("Juridiska ord kring arv och dödsbo förvirrar efterlevande", None,
      "Legal words about inheritance confuse the bereaved",
      "Bereaved families are confused by the legal vocabulary of estates and inheritance.")),
    ("flytta", "g-efter",
     ("Flyttade får veta för sent att bostadsbidraget ändrats",
      "Den som flyttat upptäcker först i efterhand att bostadsbidraget minskat eller ska "
      "betalas tillbaka.",
      "People who moved learn too late that housing allowance changed",
      "People who have moved only find out afterwards that their housing allowance has been "
      "reduced or must be repaid."),
     ("Återkrav av bostadsbidrag efter flytt kommer som en överraskning",
      "Efter flytten kommer ett krav på återbetalning av bidraget, månader senare.",
      "Repayment demand for housing allowance after a move comes as a surprise", None)),
    ("starta-foretag", "g-projekt",
     ("Företagaren måste själv hålla ordning på alla tidsfrister",
      "Den nya företagaren får själv bevaka deklarationer, momsperioder och avgifter hos "
      "olika myndigheter.", "The business owner must keep track of all deadlines",
      "The new business owner has to watch tax returns, VAT periods and fees at different "
      "agencies."),
     ("Nya företag tappar bort datum för deklarationer och avgifter",
      "Ingen samlad kalender finns, så den som driver eget glömmer lätt när skatter och "
      "avgifter ska betalas.", None, None)),
    # -- pairs 23–34: agency C's versions -------------------------------------------------
    ("flytta-till-sverige", "g-kurir",
     ("Nyanlända måste bära sina utländska betyg mellan myndigheter",
      "Den som kommit till Sverige får själv skicka sina utländska examensbevis till varje "
      "myndighet som vill se dem.", "Newcomers carry their foreign diplomas between agencies",
      "People who arrived in Sweden must send their foreign degree certificates to every "
      "agency that wants to see them."),
     ("Utländska examensbevis måste visas upp om och om igen",
      "Nyanlända får lämna kopior av sina utbildningsdokument till flera olika mottagare.",
      "Foreign degree certificates must be shown again and again",
      "New arrivals hand copies of their education documents to several different "
      "recipients.")),
    ("bli-sjuk", "g-vem",
     ("Oklart om arbetsgivaren eller Försäkringskassan betalar",
      "Den sjuke vet inte vem som betalar sjuklön de första veckorna och vem som betalar "
      "sjukpenning därefter.", "Unclear whether the employer or the agency pays",
      "The sick person does not know who pays sick pay for the first weeks and who pays "
      "sickness benefit after that."),
     ("Sjuklön eller sjukpenning – vem ansvarar när?",
      "Anställda som blir sjuka förstår inte när ansvaret för ersättningen går över från "
      "arbetsgivaren till staten.", None,
      "Employees who fall ill do not understand when responsibility for payment shifts from "
      "the employer to the state.")),
    ("fa-barn", "g-vem",
     ("Blivande föräldrar vet inte vart de vänder sig för barnomsorg",
      "Det är oklart för föräldrar om de ska söka förskoleplats hos kommunen eller hos "
      "förskolan direkt.", "Expecting parents do not know where to apply for childcare",
      "It is unclear to parents whether to apply for a preschool place with the municipality "
      "or with the preschool directly."),
     ("Var söker man förskoleplats?",
      "Föräldrar vet inte vilken instans som tar emot ansökan om plats i förskola.",
      "Where do you apply for a preschool place?",
      "Parents do not know which body receives applications for a place in preschool.")),
    ("ga-i-pension", "g-projekt",
     ("Pensionären måste själv planera uttag från flera pensioner",
      "Den som går i pension får själv räkna ut när och hur de olika pensionerna ska tas ut.",
      "Retirees plan withdrawals from several pensions themselves", None),
     ("Egen planering av tjänstepension och allmän pension krävs",
      "Blivande pensionärer får på egen hand samordna när den allmänna pensionen och "
      "tjänstepensionerna ska börja betalas.",
      "Own planning of occupational and public pension required",
      "Future retirees must coordinate on their own when the public pension and the "
      "occupational pensions start paying out.")),
    ("bli-arbetslos", "g-kurir",
     ("Arbetsgivarintyget måste den arbetslöse själv skaffa",
      "Den som blir arbetslös måste själv be sina tidigare arbetsgivare om intyg och skicka "
      "dem till a-kassan.", "The unemployed person has to get the employer's certificate",
      "People who lose their job must ask former employers for certificates and send them to "
      "the fund."),
     ("Arbetssökande jagar intyg från tidigare chefer", None,
      "Jobseekers chase certificates from former bosses",
      "To get unemployment benefit, the jobseeker has to collect employment certificates from "
      "previous employers and pass them on.")),
    ("nar-nagon-har-dott", "g-efter",
     ("Anhöriga får veta sent att autogiro fortsätter dras",
      "Efterlevande upptäcker i efterhand att betalningar från den avlidnes konto fortsatt "
      "efter dödsfallet.", "Relatives find out late that direct debits continue",
      "Survivors discover afterwards that payments from the deceased's account continued "
      "after the death."),
     ("Dragningar från den dödes konto upptäcks för sent",
      "Autogiron och abonnemang fortsätter att belasta kontot och de anhöriga märker det "
      "först långt senare.", None, None)),
    ("starta-foretag", "g-efter",
     ("F-skatten blev högre än väntat i efterhand",
      "Nya företagare får i efterhand en kvarskatt eftersom den preliminära skatten var för "
      "låg.", "Business tax turned out higher than expected afterwards",
      "New business owners get back taxes afterwards because the preliminary tax was too "
      "low."),
     ("Kvarskatt överraskar nystartade företag",
      "Många som startat eget får en stor restskatt året efter, eftersom ingen sa att "
      "preliminärskatten behövde höjas.", "Back taxes surprise new businesses", None)),
    ("flytta-till-sverige", "g-projekt",
     ("Nyanlända måste själva samordna vägen till arbete",
      "Den som kommit till Sverige får på egen hand hålla ihop SFI, validering och kontakter "
      "med Arbetsförmedlingen.", "Newcomers coordinate their path to work themselves",
      "People who came to Sweden must keep Swedish classes, validation and contacts with the "
      "employment service together on their own."),
     ("Ingen håller ihop etableringen för den nyanlände",
      "Språkkurs, bedömning av utbildning och jobbsökande sköts av olika aktörer som inte "
      "pratar med varandra.", None,
      "Language course, assessment of education and job search are run by different actors "
      "who do not talk to each other.")),
    ("flytta", "g-vem",
     ("Oklart vem som ska ha flyttanmälan",
      "Den som flyttar vet inte om flyttanmälan görs till Skatteverket, kommunen eller "
      "hyresvärden.", "Unclear who should receive the notice of moving",
      "People who move do not know whether to report it to the Tax Agency, the municipality "
      "or the landlord."),
     ("Vart anmäler man att man flyttat?", None,
      "Where do you report that you have moved?",
      "Movers are unsure which organisation should be told about their move first.")),
    ("bli-sjuk", "g-ska",
     ("Begreppet arbetsförmåga är svårt att förstå",
      "Sjukskrivna förstår inte hur Försäkringskassan bedömer arbetsförmåga mot normalt "
      "förekommande arbete.", "The concept of work capacity is hard to understand",
      "People on sick leave do not understand how work capacity is assessed against normally "
      "occurring work."),
     ("Normalt förekommande arbete – ett obegripligt mått",
      "Patienter begriper inte vad det betyder att deras förmåga prövas mot arbeten som finns "
      "på arbetsmarknaden.", None,
      "Patients cannot grasp what it means that their capacity is tested against jobs that "
      "exist on the labour market.")),
    ("fa-barn", "g-projekt",
     ("Föräldrar måste själva pussla ihop föräldraledighet och förskolestart",
      "Föräldrarna får själva planera uttaget av föräldradagar så att det passar med "
      "förskolestart och arbetsgivare.",
      "Parents piece together parental leave and preschool start", None),
     ("Planeringen av ledighet och inskolning vilar på föräldrarna", None,
      "Planning leave and settling-in falls on the parents",
      "Parents alone must plan their parental leave around the preschool start date and their "
      "employers.")),
    ("ga-i-pension", "g-ska",
     ("Premiepension och inkomstpension blandas ihop",
      "Pensionsspararna förstår inte skillnaden mellan inkomstpension, premiepension och "
      "garantipension.", "Premium pension and income pension get mixed up",
      "Pension savers do not understand the difference between income pension, premium "
      "pension and guarantee pension."),
     ("Pensionens olika delar är svåra att skilja åt",
      "Många vet inte vad som är premiepension och vad som är garantipension i sitt "
      "pensionsbesked.", "The parts of the pension are hard to tell apart",
      "Many do not know what is premium pension and what is guarantee pension in their "
      "pension statement.")),
]
B_PAIRS = 22
"""Pairs 1–22 have their second side in match-b, the rest in match-c."""

HARD_NEGATIVES: list[tuple[str, str, str, Side]] = [
    ("match-b", "bli-sjuk", "g-kurir",
     ("Den sjuke måste själv skicka kvitton för sjukresor",
      "Ersättning för resor till vården kräver att patienten själv skickar in kvitton till "
      "regionen.", "The sick person must send receipts for medical travel",
      "Reimbursement for trips to care requires the patient to send receipts to the region.")),
    ("match-c", "nar-nagon-har-dott", "g-vem",
     ("Oklart vem som betalar begravningen",
      "Anhöriga vet inte om dödsboet, kommunen eller de själva ska betala begravningen.",
      "Unclear who pays for the funeral",
      "Relatives do not know whether the estate, the municipality or they themselves pay for "
      "the funeral.")),
    ("match-b", "ga-i-pension", "g-efter",
     ("Bostadstillägget för pensionärer söks för sent",
      "Många pensionärer får veta först efter flera år att de hade rätt till bostadstillägg.",
      "Housing supplement for pensioners is applied for too late",
      "Many pensioners learn only after several years that they were entitled to a housing "
      "supplement.")),
    ("match-c", "fa-barn", "g-ska",
     ("Reglerna för barnbidrag vid delad vårdnad är svåra",
      "Föräldrar som inte bor ihop förstår inte hur barnbidraget delas mellan dem.",
      "Child benefit rules in shared custody are hard",
      "Parents who live apart do not understand how the child benefit is split between them.")),
    ("match-b", "bli-arbetslos", "g-projekt",
     ("Arbetslösa måste själva hitta utbildningar",
      "Den arbetssökande får på egen hand leta upp och söka utbildningar som kan leda till "
      "jobb.", "Unemployed people have to find courses themselves", None)),
    ("match-c", "flytta", "g-kurir",
     ("Barnens skolbyte vid flytt kräver egna papper",
      "Vid flytt till en annan kommun måste föräldrarna själva lämna betyg och underlag till "
      "den nya skolan.", "Changing school after a move requires own paperwork",
      "When moving to another municipality, parents must hand grades and documents to the new "
      "school themselves.")),
    ("match-b", "starta-foretag", "g-vem",
     ("Oklart vem som ger råd om företagsform",
      "Den som startar företag vet inte vart den kan vända sig för råd om aktiebolag eller "
      "enskild firma.", "Unclear who advises on the form of business",
      "People starting a business do not know where to turn for advice on limited company or "
      "sole trader.")),
    ("match-c", "flytta-till-sverige", "g-ska",
     ("Svårt att förstå reglerna för uppehållstillstånd",
      "Den som flyttar till Sverige förstår inte vilka villkor som gäller för att förlänga "
      "uppehållstillståndet.", "Hard to understand residence permit rules",
      "People moving to Sweden do not understand the conditions for extending their residence "
      "permit.")),
    ("match-c", "bli-sjuk", "g-efter",
     ("Karensavdraget kommer som en överraskning",
      "Anställda upptäcker först på lönebeskedet hur stort karensavdraget blev.",
      "The qualifying deduction comes as a surprise",
      "Employees discover only on their payslip how large the qualifying deduction was.")),
    ("match-b", "nar-nagon-har-dott", "g-projekt",
     ("Anhöriga måste själva säga upp den avlidnes abonnemang",
      "Efterlevande får kontakta varje företag för att avsluta avtal som den avlidne hade.",
      "Relatives have to cancel the deceased's subscriptions themselves",
      "Survivors must contact each company to end the deceased's contracts.")),
    ("match-b", "fa-barn", "g-kurir",
     ("Föräldrar måste själva skicka intyg om barnets sjukdom",
      "För tillfällig föräldrapenning ska föräldern ibland själv hämta läkarintyg för barnet "
      "och skicka in det.", "Parents must send in certificates about the child's illness",
      "For temporary parental benefit the parent sometimes has to get a doctor's certificate "
      "for the child and send it.")),
    ("match-c", "ga-i-pension", "g-vem",
     ("Oklart vem som hjälper till med pensionsrådgivning",
      "Blivande pensionärer vet inte om banken, facket eller Pensionsmyndigheten ger "
      "opartiska råd.", "Unclear who helps with pension advice",
      "Future retirees do not know whether the bank, the union or the Pensions Agency gives "
      "impartial advice.")),
    ("match-a", "bli-arbetslos", "g-ska",
     ("Begreppet lämpligt arbete är oklart",
      "Arbetssökande förstår inte vilka jobb de är skyldiga att söka enligt reglerna om "
      "lämpligt arbete.", "The concept of suitable work is unclear",
      "Jobseekers do not understand which jobs they are obliged to apply for under the "
      "suitable-work rules.")),
    ("match-c", "starta-foretag", "g-efter",
     ("Avgiften för tillstånd kommer i efterhand",
      "Företagare får fakturan för tillsynsavgiften från kommunen först efter att "
      "verksamheten startat.", "The permit fee arrives afterwards",
      "Business owners receive the municipality's inspection fee invoice only after the "
      "business has started.")),
]

TOPICS: list[tuple[str, str, str]] = [
    ("bostadsbidrag", "housing allowance", "flytta"),
    ("föräldrapenning", "parental benefit", "fa-barn"),
    ("sjukersättning", "sickness compensation", "bli-sjuk"),
    ("aktivitetsersättning", "activity compensation", "bli-sjuk"),
    ("bostadstillägg", "housing supplement", "ga-i-pension"),
    ("garantipension", "guarantee pension", "ga-i-pension"),
    ("underhållsstöd", "maintenance support", "fa-barn"),
    ("vårdbidrag", "care allowance", "fa-barn"),
    ("bilstöd", "car allowance", "bli-sjuk"),
    ("assistansersättning", "assistance allowance", "bli-sjuk"),
    ("etableringsersättning", "establishment benefit", "flytta-till-sverige"),
    ("medborgarskap", "citizenship", "flytta-till-sverige"),
    ("arbetstillstånd", "work permit", "flytta-till-sverige"),
    ("körkortstillstånd", "learner's permit", "flytta"),
    ("bygglov", "building permit", "starta-foretag"),
    ("serveringstillstånd", "alcohol licence", "starta-foretag"),
    ("livsmedelsregistrering", "food business registration", "starta-foretag"),
    ("lönebidrag", "wage subsidy", "bli-arbetslos"),
    ("starta-eget-bidrag", "start-up grant", "bli-arbetslos"),
    ("studiemedel", "student finance", "bli-arbetslos"),
    ("dödsfallsintyg", "death certificate", "nar-nagon-har-dott"),
    ("begravningsavgift", "burial fee", "nar-nagon-har-dott"),
    ("efterlevandepension", "survivor's pension", "nar-nagon-har-dott"),
    ("barnpension", "child pension", "nar-nagon-har-dott"),
    ("adoptionsbidrag", "adoption allowance", "fa-barn"),
    ("pass", "passport", "flytta-till-sverige"),
    ("id-kort", "identity card", "flytta-till-sverige"),
    ("F-skattsedel", "F-tax approval", "starta-foretag"),
    ("sjukresor", "medical travel", "bli-sjuk"),
    ("tandvårdsstöd", "dental care support", "bli-sjuk"),
    ("parkeringstillstånd", "parking permit", "flytta"),
    ("hemtjänst", "home help", "ga-i-pension"),
    ("färdtjänst", "transport service", "ga-i-pension"),
    ("försörjningsstöd", "income support", "bli-arbetslos"),
    ("skolskjuts", "school transport", "flytta"),
    ("modersmålsundervisning", "mother tongue tuition", "flytta-till-sverige"),
]
TEMPLATES: list[tuple[str, str, Any]] = [
    # (dataset, general insight, side maker)
    ("match-a", "g-efter", lambda sv, en: (
        f"Lång väntan på beslut om {sv}", f"Handläggningen av ansökningar om {sv} tar flera "
        "månader.", f"Long wait for a decision on {en}",
        f"Applications for {en} take several months to handle.")),
    ("match-b", "g-ska", lambda sv, en: (
        f"E-tjänsten för {sv} fungerar dåligt på mobilen",
        f"Formuläret för {sv} går inte att fylla i på en telefon.",
        f"The e-service for {en} works poorly on mobile",
        f"The form for {en} cannot be filled in on a phone.")),
    ("match-c", "g-vem", lambda sv, en: (
        f"Avgiften för {sv} är svår att hitta", None, f"The fee for {en} is hard to find",
        f"Information about what {en} costs is hidden deep in the website.")),
]
DATASETS = ("match-a", "match-b", "match-c")
AGENCY = {"match-a": ("myndighet-a", "Myndighet A"), "match-b": ("myndighet-b", "Myndighet B"),
          "match-c": ("myndighet-c", "Myndighet C")}


@dataclass(frozen=True)
class MatchingFixture:
    folders: tuple[Path, ...]
    true_pairs: tuple[tuple[str, str], ...]
    specific_count: int
    hard_negatives: tuple[str, ...]


def _insight(ident: str, side: Side, life_event: str, general: str, dataset: str
             ) -> dict[str, Any]:
    title, statement, title_en, statement_en = side
    out: dict[str, Any] = {"id": ident, "kind": "specific", "title": title}
    for key, value in (("statement", statement), ("title_en", title_en),
                       ("statement_en", statement_en)):
        if value:
            out[key] = value
    out.update({"instance_of": [general], "life_events": [life_event],
                "reported_by": [{"agency": AGENCY[dataset][0]}], "illustrative": True,
                "note": "Made up for the matching fixture (tests/queries/matching_fixture.py)."})
    return out


def build_insights() -> tuple[dict[str, list[dict[str, Any]]], list[tuple[str, str]], list[str]]:
    """The specific insights per dataset, the true pairs and the hard negatives' ids."""
    per: dict[str, list[dict[str, Any]]] = {d: [] for d in DATASETS}
    truth: list[tuple[str, str]] = []
    for n, (le, gen, a, b) in enumerate(PAIRS, start=1):
        other = "match-b" if n <= B_PAIRS else "match-c"
        a_id, b_id = f"a-{n:02d}", f"{other[-1]}-{n:02d}"
        per["match-a"].append(_insight(a_id, a, le, gen, "match-a"))
        per[other].append(_insight(b_id, b, le, gen, other))
        truth.append((a_id, b_id))
    hard: list[str] = []
    for n, (ds, le, gen, side) in enumerate(HARD_NEGATIVES, start=1):
        ident = f"{ds[-1]}-h{n:02d}"
        per[ds].append(_insight(ident, side, le, gen, ds))
        hard.append(ident)
    for n, (sv, en, le) in enumerate(TOPICS, start=1):
        for t in (n % 3, (n + 1) % 3):
            ds, gen, make = TEMPLATES[t]
            per[ds].append(_insight(f"{ds[-1]}-x{n:02d}", make(sv, en), le, gen, ds))
    for ds in DATASETS:  # no meaning in the order: interleave so ids are not in file order
        per[ds].sort(key=lambda e: (sum(map(ord, e["id"])) % 7, e["id"]))
    return per, truth, hard


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_dataset_folder(folder: Path, dataset: str, insights: list[dict[str, Any]]) -> Path:
    """One agency's dataset: its agency, the shared life events and general insights, and its
    specific insights."""
    folder.mkdir(parents=True, exist_ok=True)
    _dump(folder / "dataset.yaml", {"id": dataset, "title": f"Matchningstest {dataset}",
                                    "version": "1"})
    agency_id, agency_name = AGENCY[dataset]
    _dump(folder / "agencies.yaml", [{"id": agency_id, "name": agency_name, "kind": "annan"}])
    _dump(folder / "domains.yaml", [{"id": "livet", "name": "Livet", "name_en": "Life"}])
    _dump(folder / "life_events.yaml", [
        {"id": k, "name": sv, "name_en": en, "domain": "livet"}
        for k, (sv, en) in LIFE_EVENTS.items()])
    generals = [{"id": k, "kind": "general", "title": sv, "title_en": en,
                 "life_events": list(LIFE_EVENTS)} for k, (sv, en) in GENERALS.items()]
    _dump(folder / "insights.yaml", generals + insights)
    return folder


def write_matching_fixture(root: Path) -> MatchingFixture:
    """Write the three datasets under `root` (one folder each)."""
    per, truth, hard = build_insights()
    folders = tuple(write_dataset_folder(root / ds, ds, per[ds]) for ds in DATASETS)
    return MatchingFixture(folders, tuple(truth), sum(len(v) for v in per.values()),
                           tuple(hard))


def loaded_store(root: Path) -> tuple[Any, MatchingFixture]:
    """An embedded store under `root` with the three datasets loaded (the CLI's load path)."""
    from graph.embedded import EmbeddedStore
    from loaders.load import load_dataset

    fixture = write_matching_fixture(root / "datasets")
    store = EmbeddedStore(root / "graph.db")
    for folder in fixture.folders:
        load_dataset(store, folder)
    return store, fixture


def measure(thresholds: tuple[float, ...] = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)) -> list[
        dict[str, Any]]:
    """Precision and recall of `queries.match.propose` on the fixture, per threshold (the
    figures of docs/matching.md)."""
    import tempfile
    import time

    from queries.match import MatchOptions, precision_recall, propose

    with tempfile.TemporaryDirectory() as tmp:
        store, fixture = loaded_store(Path(tmp))
        g = store.to_networkx()
        store.close()
    rows = []
    for threshold in thresholds:
        started = time.perf_counter()
        got = propose(g, MatchOptions(min_score=threshold))
        seconds = time.perf_counter() - started
        p, r, hits, n = precision_recall(got, fixture.true_pairs)
        rows.append({"min_score": threshold, "proposals": n, "true_positives": hits,
                     "precision": round(p, 3), "recall": round(r, 3), "seconds": round(seconds, 2),
                     "true_pairs": len(fixture.true_pairs),
                     "specific_insights": fixture.specific_count})
    return rows


if __name__ == "__main__":  # .venv/bin/python -m tests.queries.matching_fixture
    for row in measure():
        print(row)
