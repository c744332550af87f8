# ruff: noqa: E501  (texts: one sentence per line reads best)
"""The English translations of the demo's Chinese content (demo/data/translations.py writes them): the course
catalogue, the security course and its lessons, the confidentiality agreement, the questions of its check and every
question the security final exam can draw. Written for an operations site in British English, faithful to the
Chinese and to the policy's English wording (shared/domain/POLICY.md).

Lists follow the order of the Chinese they translate (content.py, exams.BANK, agreements.CHECK_QUESTIONS); ids are
never written here: a translation keeps every id of its source."""

P = "paragraph"
H = "heading"


def para(*texts: str) -> tuple[str, str]:
    return (P, "".join(f"<p>{t}</p>" for t in texts))


def callout(kind: str, title: str, text: str) -> tuple[str, dict]:
    return ("callout", {"kind": kind, "title": title, "text": f"<p>{text}</p>"})


INDEX = {
    "title": "Operations Training Centre",
    "intro": "<p>Courses in security, confidentiality, job skills and emergency response. New staff: please complete the new-hire induction first.</p>",
}

COURSES = {
    "security": {
        "title": "Security Management Training",
        "summary": "Why the operations area is under closed management, how access control and area passes work, and the rules for people, visitors, communication devices and items going in and out.",
    },
}

# Said in a lesson that keeps activities (H5P, SCORM) in Chinese, just before the first of them.
ACTIVITIES_NOTE = "<p><em>Note: the interactive exercises in this lesson are available in Chinese only.</em></p>"

# Lesson slug: (title, the lesson's text blocks in the order of the Chinese ones; other blocks are kept as they are).
LESSONS = {
    "closed-area": ("Closed management of the operations area", [
        para(
            "The company runs its operations positions under closed management. The aim is to keep operations work continuous, stable and efficient, keep the business running normally, and protect the security of the company's operations information. "
            "The policy applies to all operations staff, including operations specialists, supervisors and managers.",
            "Operations staff work in a dedicated operations area that is physically isolated from other areas. An access-control system at its entrance strictly limits who goes in and out: "
            "only authorised operations staff may enter. Whether the system lets you through depends on whether you hold a valid operations area pass.",
            "An area pass is not issued once and valid for ever: it depends on your training certificates being current. When a required certificate expires, the door automatically refuses you "
            "until you have completed refresher training and earned the certificate again.",
        ),
        callout("rule", "Security first", "Always put operational security first, and make sure the company's operations data and business processes are never put at risk."),
    ]),
    "people-and-visitors": ("Staff access and visitor registration", [
        (H, "New staff"),
        para(
            "When they join, operations staff submit a personal health certificate, a no-criminal-record certificate and other documents. HR and the operations department jointly run a background check on each new member of staff, "
            "and the operations area pass is issued only once the check has been passed.",
            "Operations staff who leave the operations area must tell their supervisor, giving the reason and the time they expect to be back. Anyone who needs to go out for a while because of special circumstances "
            "needs their manager's approval and must return within the time allowed.",
        ),
        (H, "Visitors"),
        para(
            "A visitor who needs to enter the operations area for work must apply to the operations department in advance and, once approved, may enter only when escorted by a member of the operations staff. "
            "On entry, the visitor's name, organisation, reason for the visit, time of entry and expected departure time are registered. The escort must hold a valid pass for the area themselves.",
        ),
        callout(
            "warning",
            "Never swipe anyone else in",
            "Everyone goes in and out on their own pass. Opening the door for someone else or lending your pass is a serious breach of the closed management policy.",
        ),
    ]),
    "devices-and-items": ("Communication devices and items", [
        para(
            "The use of mobile phones, walkie-talkies and other external communication devices is restricted in the operations area. When you need to contact someone outside, use the dedicated communication equipment provided in the area. "
            "Internal communication always goes through the company's standard tools, so that it stays confidential and traceable.",
            "Never bring anything unrelated to operations work into the operations area, such as food, drinks or flammable items. The office supplies and equipment in the area are managed and maintained by a designated person, "
            "and are counted and checked regularly.",
            "Using or passing on data storage media such as hard disks and USB drives must follow the company's data security rules: register them and get approval first.",
        ),
    ]),
    "h5p-practice": ("Practice: a short security quiz", [
        para(
            "Use the interactive exercises below to check your understanding of the Closed Management Policy for Operations Positions: visitor management, area passes, storage media, "
            "double-checking by a second person, and the emergency response to an information leak. You can mark this lesson as complete once you have passed the exercises marked as required.",
        ),
    ]),
}

AGREEMENT = {
    "title": "Employee Confidentiality Agreement",
    "summary": "All operations staff must sign the confidentiality agreement (section 4.2 of the policy). Read it in full, pass the three-question comprehension check, then sign with your login password.",
    "body": [
        (H, "1. Scope of confidential information"),
        (P, "<p>In this agreement, confidential information means any information the company has not made public that employees learn of or have access to in their work: the company's operations data, business information and customer data, and the questions of training exams. "
            "It is confidential whether it exists in writing, in electronic form or by word of mouth.</p>"),
        (H, "2. Employees' duty of confidentiality"),
        (P, "<ol><li>Comply strictly with the company's confidentiality rules, keep confidential information confidential and do not disclose it to anyone not involved, including colleagues whose work does not require it.</li>"
            "<li>When passing on, using or storing confidential information, apply security measures such as encryption and isolation; never pass on confidential information by personal email, instant-messaging apps or personal devices.</li>"
            "<li>Do not use external communication devices in the operations area; register storage media such as hard disks and USB drives, and get approval, before using or passing them on.</li>"
            "<li>Destroy confidential material promptly once it is no longer needed and never take it out of the operations area; lock your computer screen whenever you leave your desk.</li></ol>"),
        (H, "3. Reporting a leak"),
        (P, "<p>An employee who finds that confidential information may have been leaked must report it to their supervisor immediately, take action under the emergency plan to limit the damage, and cooperate with the company's investigation. "
            "Concealing a leak is treated in the same way as the leak itself.</p>"),
        (H, "4. Liability"),
        (P, "<p>Where a breach of this agreement leads to the disclosure of confidential information, the company will hold those responsible to account under its rules; anyone who causes the company a loss is liable for damages as the law provides.</p>"),
        (H, "5. Term and versions"),
        (P, "<p>This agreement takes effect on the day it is signed and remains in force during employment and after it ends. When the agreement is updated to a new version, everyone it applies to must read it again, pass the comprehension check and sign it again.</p>"),
    ],
}

# Exam (by its Chinese title): English title and rules shown before starting.
EXAMS = {
    "安全管理结业考试": ("Security Management Final Exam", "This is a closed-book exam: work on your own. The server keeps the time and your answers are saved automatically; when the time is up, the exam is submitted for you."),
    "保密协议理解测验": ("Confidentiality Agreement Comprehension Check", "Three questions: answer all three correctly to pass. You may try as often as you need; when the agreement is updated, you take the check again."),
}

# External id without "DEMO-": text, the option/item/prompt/choice texts in the order of the Chinese, feedback,
# option feedback keyed as in the Chinese, and for fill-in and short answers the English key (accepted answers).
_EXACT = {"ignore_case": True, "fold_width": True}
QUESTIONS = {
    "S01": {"text": "Which system is installed at the entrance to the operations area to restrict who goes in and out?",
            "options": ["An access-control system", "A public-address system", "A time-and-attendance system", "A shift-scheduling system"],
            "feedback": "The policy requires an access-control system at the entrance to the operations area.",
            "option_feedback": {"a": "Correct.", "b": "A public-address system cannot restrict who goes in and out."}},
    "S02": {"text": "Which condition must a visitor meet to enter the operations area?",
            "options": ["Apply in advance, be approved and be escorted by a member of the operations staff", "Show an ID card, nothing more", "Get verbal permission from the security guard", "None: visitors may enter freely during working hours"],
            "feedback": "Visitors must apply in advance and, once approved, enter escorted by a member of the operations staff."},
    "S03": {"text": "Which details must be registered when a visitor enters the operations area?",
            "options": ["Name", "Organisation", "Reason for the visit", "Time of entry", "Expected departure time", "Home address"],
            "feedback": "The register records name, organisation, reason for the visit, time of entry and expected departure time.",
            "option_feedback": {"f": "A home address is not among the details to register."}},
    "S04": {"text": "New operations staff must submit a health certificate and a no-criminal-record certificate when they join.",
            "feedback": "New staff submit a personal health certificate, a no-criminal-record certificate and other documents when they join."},
    "S05": {"text": "The background check is carried out by the operations department alone.",
            "feedback": "HR and the operations department run the background check jointly."},
    "S06": {"text": "Only after passing the ____ check may new operations staff be issued an operations area ____.",
            "key": {"blanks": [["background"], ["pass", "area pass", "access pass"]], **_EXACT},
            "feedback": "The operations area pass is issued once the check has been passed."},
    "S07": {"text": "What must you do when you leave the operations area?",
            "options": ["Tell your supervisor, giving the reason and when you expect to be back", "Just leave", "Tell a colleague", "Explain everything at the end of the day"],
            "feedback": "Leaving the operations area must be reported to your supervisor."},
    "S08": {"text": "Put the steps for a visitor entering the operations area in the right order.",
            "items": ["Apply to the operations department in advance", "Get approval", "Register name, organisation, reason for the visit and other details", "Enter escorted by a member of the operations staff"],
            "feedback": "Apply first, then get approval, register, and enter with an escort."},
    "S09": {"text": "How is the operations area separated from other areas? (two words)",
            "key": {"answers": ["physical isolation", "physically isolated", "physical separation", "physically separated"], **_EXACT},
            "feedback": "The operations area is physically isolated from other areas."},
    "S10": {"text": "Which of these items must never be brought into the operations area?",
            "options": ["Food", "Drinks", "Flammable items", "Documents needed for the work"],
            "feedback": "Items not needed for operations work, such as food, drinks and flammable items, must never be brought in."},
    "S11": {"text": "You are in the operations area and need to contact someone outside. What should you use?",
            "options": ["The dedicated communication equipment provided in the area", "Your personal mobile phone", "A walkie-talkie", "Your personal email"],
            "feedback": "The use of external communication devices is restricted in the operations area.",
            "option_feedback": {"b": "A personal mobile phone is a restricted external communication device."}},
    "S12": {"text": "Any convenient instant-messaging app may be used for internal communication.",
            "feedback": "Internal communication must use the company's standard communication tools."},
    "S13": {"text": "Using or passing on data storage media such as hard disks and USB drives requires ____ and ____.",
            "key": {"blanks": [["registration", "registering", "being registered"], ["approval", "being approved"]], **_EXACT},
            "feedback": "Storage media must be registered and approved before they are used or passed on."},
    "S14": {"text": "Match each item with the rule that applies to it.",
            "prompts": ["USB drive", "Office equipment", "Drinks"],
            "choices": ["Use only once registered and approved", "Looked after by a designated person and counted regularly", "Must never be brought in", "No rules apply"]},
    "S15": {"text": "Who is responsible for managing and maintaining the office supplies and equipment in the operations area?",
            "options": ["A designated person", "Everyone, taking turns", "An outside contractor", "Nobody: they need no managing"]},
    "S16": {"text": "Which safety facilities should the operations area be equipped with?",
            "options": ["Surveillance equipment", "Fire-fighting equipment", "Anti-theft alarms", "Recreational facilities"]},
    "S17": {"text": "Safety facilities only need to be checked once, when they are installed.",
            "feedback": "Safety facilities must be checked and maintained regularly."},
    "S18": {"text": "During a security patrol you find a fault in the access-control system. What would you do? Describe the steps.",
            "feedback": "Key points: report it at once, control entry and exit in the meantime, log it, follow up the repair, and check again afterwards."},
    "S19": {"text": "What is the purpose of stepping up security patrols?",
            "options": ["To find and remove safety hazards promptly", "To count attendance", "To check what people are wearing", "To record visitors"]},
    "S20": {"text": "A visitor enters at 9:00 a.m. and expects to leave at 11:30 a.m. How many hours do they expect to stay?",
            "feedback": "11:30 − 9:00 = 2.5 hours."},
    "E05": {"text": "Match each emergency with the first thing to do.",
            "prompts": ["Fire", "Network failure", "Data leak"],
            "choices": ["Raise the alarm and organise the evacuation", "Switch to the backup link and report it", "Isolate the affected systems and report it"]},
    "NDA1": {"text": "Which of these is information the confidentiality agreement requires you to keep confidential?",
             "options": ["Customer data", "A job advertisement the company has already published", "The office address on the company website"],
             "feedback": "The company's operations data, business information and customer data are all confidential information."},
    "NDA2": {"text": "As long as someone is a colleague at the company, you may share customer data with them.",
             "feedback": "Confidential information must not be disclosed to anyone not involved, including colleagues whose work does not require it."},
    "NDA3": {"text": "What should you do when you find that confidential information may have been leaked?",
             "options": ["Report it to your supervisor immediately and take action under the emergency plan", "Delete the related records yourself first", "Wait until the next regular meeting to bring it up"],
             "feedback": "Report a possible leak immediately and act on it; anyone who conceals one is held responsible too."},
}
