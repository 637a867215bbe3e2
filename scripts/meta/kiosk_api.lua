---@meta
-- LuaLS stub for the kiosk script API, version 1 (scripts declare api = 1).
-- Editors read this for autocompletion and type checks; the kiosk never
-- runs it. The API itself is defined in kiosk/script/sandbox_lua.cpp and
-- documented in scripts/README.md.

---Text shown to the patient: the same in every language, or one per language.
---@alias kiosk.Text string|{en: string, es: string?}

---@class kiosk.Context  What run(t) receives.
---@field lang "en"|"es"        the patient's language
---@field plate boolean         a force plate (or a recording) can capture
---@field sides ("left"|"right")[]  the sides the script declared
---@field profile {age_band: string?, sex: string?, painful_side: string?, weekly_km: number?, recent_jump: boolean?, shoe_change: boolean?, pain_weeks: number?}
---@field api integer           the API version the host runs (1)
---@field clinic {min_age: integer, balance_skip_from_age: integer?}  the clinic's settings (config [screening])

---@class kiosk.Measure
---@field id string             stable measure id, e.g. "distance_cm"
---@field side "left"|"right"|nil
---@field value number
---@field unit string

---@class kiosk.Result  What run(t) returns.
---@field measures kiosk.Measure[]?
---@field findings string[]?    stable finding ids, e.g. "dorsiflexion_restricted_left"
---@field flags string[]?       session control: "stop_session", "skip:<script id>"
---@field interpretation kiosk.Text?

---@class kiosk.Test  What a script file returns.
---@field api integer           must be 1
---@field id string             stable script id (a-z, 0-9, _)
---@field version string        the script's own version, e.g. "1.0.0"
---@field kind "test"|"screening"|"profile"|nil  place in a session (default "test")
---@field order integer?        session order among its kind, smallest first (default 100)
---@field title kiosk.Text
---@field plate "none"|"optional"|"required"|nil  (default "none")
---@field sides ("left"|"right")[]?
---@field findings string[]?    every finding id run() may return (checked; `kioskctl handout check` tries them all)
---@field refer_findings string[]?  those that mean "see the team, do not train this" (the sheet must say so)
---@field chart kiosk.Chart?     how the results screen and the handout draw the main measure (api 1 addition)
---@field run fun(t: kiosk.Context): kiosk.Result

---A norm-zone end: one number for everyone, or one per profile age band
---(an age band with no value shows no zone).
---@alias kiosk.NormEnd number|table<string, number>

---@class kiosk.ChartSpec  What kiosk.chart takes (scripts/README.md, "Results chart").
---@field measure string        the sided measure run() returns for left and right, e.g. "distance_cm"
---@field unit kiosk.Text       the unit as the patient reads it, e.g. {en = "raises", es = "elevaciones"}
---@field scale [number, number]  the drawn range {lowest, highest} (a value outside widens it)
---@field better "higher"|"lower"  which way a result improves
---@field norm {from: kiosk.NormEnd?, to: kiosk.NormEnd?}?  the shaded zone; a missing end is the scale's end
---@field measurement_error {value: number, source: string}  the measure's published error, in its unit ("KIOSK DEFAULT" when none)
---@field asymmetry string?     the declared finding that says the sides differ meaningfully

---@class kiosk.Chart  What kiosk.chart returns: give it to the test table's `chart`.

---@class kiosk.CaptureResult
---@field metrics table<string, number>  detector output, units in the names (path_mm)
---@field events {kind: string, t_s: number}[]

---@class kiosk
---@field api integer  1
kiosk = {}

---Shows text (and an illustration, a sound); returns when the person goes on.
---@param step {text: kiosk.Text, illustration: string?, sound: string?}
function kiosk.instruct(step) end

---Asks for a number from min to max in steps of `step` (default 1).
---Returns a number, or a list of 1..attempts numbers when attempts > 1.
---A value above red_flag_above raises a red flag: the kiosk stops at that answer.
---@param step {id: string, text: kiosk.Text, min: number, max: number, step: number?, unit: string?, attempts: integer?, input: "keypad"|"timer"|nil, red_flag_above: number?, illustration: string?, sound: string?}
---@return number|number[]
function kiosk.ask_number(step) end

---Asks the person to pick one option; returns its value.
---Choosing a value listed in red_flag raises a red flag: the kiosk stops at that answer.
---@param step {id: string, text: kiosk.Text, options: {value: string, text: kiosk.Text}[], red_flag: string[]?, illustration: string?, sound: string?}
---@return string
function kiosk.choose(step) end

---Asks a yes/no question.
---red_flag = true: "yes" raises a red flag (false: "no" does); the kiosk stops at that answer.
---@param step {id: string, text: kiosk.Text, red_flag: boolean?, illustration: string?, sound: string?}
---@return boolean
function kiosk.confirm(step) end

---Counts down on screen.
---@param step {seconds: number, text: kiosk.Text?, sound: string?}
function kiosk.countdown(step) end

---Ticks at bpm for up to `seconds` (the person may stop sooner).
---@param step {bpm: number, seconds: number, text: kiosk.Text?}
function kiosk.metronome(step) end

---Records the force plate and runs a signal detector. Returns nil when
---there is no plate, so the script can fall back to asking. The kiosk draws
---the detector's own live view (`view` only for a detector without one).
---@param step {side: "left"|"right"|"both", seconds: number, detector: string, view: "cop"|"force"|"none"|nil, bpm: number?, text: kiosk.Text?}
---@return kiosk.CaptureResult|nil
function kiosk.capture(step) end

---Shows a result screen; returns when the person goes on.
---@param step {text: kiosk.Text?, illustration: string?}
function kiosk.result(step) end

---Not a step: declares how the test's main measure is drawn on the results
---screen and the handout (the test table's `chart` field). The kiosk checks
---every field and names this line in `kioskctl script check`.
---@param spec kiosk.ChartSpec
---@return kiosk.Chart
function kiosk.chart(spec) end
