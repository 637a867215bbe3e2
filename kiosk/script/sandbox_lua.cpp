// The Lua halves of the sandbox. kSandboxBootstrapLua runs once per
// lua_State with the real globals and returns the scripts' environment;
// kKioskApiLua is the public `kiosk` table (API version in api_version.h).
#include "script/sandbox.h"

namespace kiosk::script {

const char* const kSandboxBootstrapLua = R"LUA(
local host = ...
local G = _G
local type, tostring, error, select, rawget = type, tostring, error, select, rawget
local setmetatable, next, load, collect = setmetatable, next, load, collectgarbage
local concat = table.concat

-- string: no dump or binary packing; the pattern functions run Lua's own
-- matcher only after a worst-case cost check (see pattern_cost.h), because
-- the CPU-deadline hook cannot fire inside a C function.
string.dump, string.pack, string.unpack, string.packsize = nil, nil, nil, nil
local find, match, gmatch, gsub, rep = string.find, string.match, string.gmatch, string.gsub, string.rep
local pattern_ok = host.pattern_ok
local function check_pattern(s, p, iterate)
  local ok, why = pattern_ok(s, p, iterate)
  if not ok then error(why, 3) end
end
function string.find(s, p, init, plain)
  if not plain then check_pattern(s, p, false) end
  return find(s, p, init, plain)
end
function string.match(s, p, init) check_pattern(s, p, false) return match(s, p, init) end
function string.gmatch(s, p, init) check_pattern(s, p, true) return gmatch(s, p, init) end
function string.gsub(s, p, r, n) check_pattern(s, p, false) return gsub(s, p, r, n) end
local memory_bytes = host.memory_bytes
local function text_len(v)
  local t = type(v)
  if t == "string" or t == "number" then return #tostring(v) end
  return nil
end
function string.rep(s, n, sep)
  local unit, gap = text_len(s), text_len(sep) or 0
  if unit and type(n) == "number" and n >= 1 then
    -- an empty result is built n times in C: answer it here
    if unit + gap == 0 then return "" end
    if unit * n + gap * (n - 1) > memory_bytes then
      error(("string.rep would build %.0f bytes; the memory limit is %d"):format(
        unit * n + gap * (n - 1), memory_bytes), 2)
    end
  end
  return rep(s, n, sep)
end
-- table.move copies element by element in C, even over nils: bound it
local move, max_move = table.move, host.max_table_move
function table.move(a1, f, e, t, a2)
  if type(f) == "number" and type(e) == "number" and e - f >= max_move then
    error(("table.move of %.0f elements; at most %d at once"):format(e - f + 1, max_move), 2)
  end
  return move(a1, f, e, t, a2)
end
-- the string metatable stays as it is: getmetatable("") gives no access
getmetatable("").__metatable = "protected"

local kiosk = assert(load(host.kiosk_api_source, "=kiosk", "t", G))(host.caller_line)

local ENV = {}
local function readonly(lib, name)
  return setmetatable({}, {
    __index = lib,
    __newindex = function(_, k)
      error(("%s.%s cannot be changed: library tables are read-only"):format(name, tostring(k)), 2)
    end,
    __pairs = function() return next, lib, nil end,
    __metatable = "protected",
  })
end

local gc_allowed = { collect = true, count = true, step = true, isrunning = true }
local function safe_collectgarbage(opt, ...)
  opt = opt or "collect"
  if not gc_allowed[opt] then
    error(("collectgarbage('%s') is not allowed in scripts"):format(tostring(opt)), 2)
  end
  return collect(opt, ...)
end

local function safe_setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("__gc metamethods are not allowed in scripts", 2)
  end
  return setmetatable(t, mt)
end

local max_load = host.max_load_bytes
local function safe_load(chunk, _, mode, env)
  if type(chunk) ~= "string" then error("load: scripts may load text (a string) only", 2) end
  if #chunk > max_load then error(("load: text over %d bytes"):format(max_load), 2) end
  if mode ~= nil and mode ~= "t" then error("load: scripts may load text chunks only (mode 't')", 2) end
  if env == nil then env = ENV end
  return load(chunk, "=(load)", "t", env)
end

-- xpcall: Lua runs a message handler inside the error, and when the error
-- comes from the CPU-deadline hook, hooks are off there: a looping handler
-- could never be stopped. So the handler runs after the unwind, as plain
-- code under the deadline (without the debug library it could not look at
-- the stack anyway, so scripts see the same behaviour).
local pack, unpack = table.pack, table.unpack
local function safe_xpcall(f, handler, ...)
  local results = pack(pcall(f, ...))
  if results[1] then return unpack(results, 1, results.n) end
  return false, handler(results[2])
end

local log = host.log
local function safe_print(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  log(concat(parts, "\t"))
end

-- require: lib modules only, from the scripts' lib folder, once per run
local read_lib, loaded, loading = host.read_lib, {}, {}
local function safe_require(name)
  if type(name) ~= "string" then error("require: give a lib name, e.g. require 'norms'", 2) end
  local value = loaded[name]
  if value ~= nil then return value end
  if loading[name] then error(("require: '%s' requires itself (a loop)"):format(name), 2) end
  local text, display = read_lib(name)
  if not text then error(display, 2) end
  local chunk, err = load(text, "=" .. display, "t", ENV)
  if not chunk then error(err, 0) end
  loading[name] = true
  value = chunk(name)
  loading[name] = nil
  if value == nil then value = true end
  loaded[name] = value
  return value
end

for _, k in ipairs { "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall",
                     "rawequal", "rawget", "rawlen", "select", "tonumber", "tostring", "type",
                     "_VERSION" } do
  ENV[k] = G[k]
end
ENV.setmetatable = safe_setmetatable
ENV.xpcall = safe_xpcall
ENV.collectgarbage = safe_collectgarbage
ENV.load = safe_load
ENV.print = safe_print
ENV.require = safe_require
ENV.string = readonly(string, "string")
ENV.table = readonly(table, "table")
ENV.math = readonly(math, "math")
ENV.utf8 = readonly(utf8, "utf8")
ENV.coroutine = readonly(coroutine, "coroutine")
ENV.kiosk = readonly(kiosk, "kiosk")
ENV._G = ENV
setmetatable(ENV, {
  __index = function(_, k)
    error(("unknown global '%s' (scripts see only the kiosk API and safe Lua)"):format(tostring(k)), 2)
  end,
  __newindex = function(_, k)
    error(("cannot create global '%s': declare it with 'local'"):format(tostring(k)), 2)
  end,
  __metatable = "protected",
})
return ENV
)LUA";

const char* const kKioskApiLua = R"LUA(
-- The `kiosk` table, API version 1 (scripts declare `api = 1`). Public and
-- versioned: documented in scripts/README.md and scripts/kiosk_api.lua.
-- Each step function yields one step table to the host and returns the
-- host's answer; the host checks every field and names the bad one.
local caller_line = ...  -- host: the line of the script that called the API function
local yield, type, error, pairs = coroutine.yield, type, error, pairs

local kiosk = { api = 1 }

local function step(kind, spec)
  if spec == nil then spec = {} end
  if type(spec) ~= "table" then
    error(("kiosk.%s expects a table of fields, e.g. kiosk.%s{ ... }"):format(kind, kind), 3)
  end
  local s = { kind = kind }
  for k, v in pairs(spec) do
    if k ~= "kind" then s[k] = v end
  end
  return yield(s)
end

-- Show text (and an illustration, a sound); returns when the person goes on.
function kiosk.instruct(spec) step("instruct", spec) end
-- A number from min to max in steps of `step`; a list when attempts > 1.
function kiosk.ask_number(spec) return step("ask_number", spec) end
-- One of `options` ({value=, text=}); returns the chosen value.
function kiosk.choose(spec) return step("choose", spec) end
-- A yes/no question; returns true or false.
function kiosk.confirm(spec) return step("confirm", spec) end
-- Counts down `seconds` on screen (and with sound).
function kiosk.countdown(spec) step("countdown", spec) end
-- Ticks at `bpm` for up to `seconds` (the person may stop it sooner).
function kiosk.metronome(spec) step("metronome", spec) end
-- Records the plate for `seconds` and runs `detector`; returns
-- {metrics = {...}, events = {...}}, or nil when there is no plate.
function kiosk.capture(spec) return step("capture", spec) end
-- Shows a result screen; returns when the person goes on.
function kiosk.result(spec) step("result", spec) end

-- Not a step: declares how the test's measure is drawn (the test table's
-- `chart` field). The host reads and checks the fields, naming this line.
function kiosk.chart(spec)
  if type(spec) ~= "table" then
    error("kiosk.chart expects a table of fields, e.g. kiosk.chart{ measure = \"distance_cm\", ... }", 2)
  end
  return { kind = "chart", line = caller_line(), spec = spec }
end

return kiosk
)LUA";

}  // namespace kiosk::script
