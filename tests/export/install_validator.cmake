# Test set-up (a CTest fixture): installs the FHIR R4 schema validator from
# the npm registry into the build tree, pinned by package-lock.json, with the
# machine's node and npm (Debian: `nodejs npm`, see deploy/install-deps).
# Re-runs `npm ci` only when the lock file changed. Fails loudly: the export
# tests must never pass without having validated.
#   cmake -DSRC=<tests/export/fhir_validator> -DDEST=<build dir folder> -P install_validator.cmake
# Other npm test tools reuse it with their own files and name (tests/fhir):
#   ... -DFILES=package.json,package-lock.json,server.js "-DNAME=FHIR engine"
string(REPLACE "," ";" FILES "${FILES}")
if(NOT FILES)
  set(FILES package.json package-lock.json validate.js)
endif()
if(NOT NAME)
  set(NAME "FHIR validator")
endif()
find_program(NPM npm)
find_program(NODE NAMES node nodejs)
if(NOT NPM OR NOT NODE)
  message(FATAL_ERROR "${NAME}: node and npm are needed (Debian: apt-get install nodejs npm, "
                      "or run deploy/install-deps)")
endif()
file(MAKE_DIRECTORY ${DEST})
foreach(f ${FILES})
  configure_file(${SRC}/${f} ${DEST}/${f} COPYONLY)
endforeach()
set(stamp ${DEST}/node_modules/.installed-from-lock)
file(SHA256 ${DEST}/package-lock.json lock_hash)
if(EXISTS ${stamp})
  file(READ ${stamp} installed_hash)
  if(installed_hash STREQUAL lock_hash)
    return()
  endif()
endif()
execute_process(COMMAND ${NPM} ci --no-audit --no-fund --loglevel=error
                WORKING_DIRECTORY ${DEST} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: `npm ci` in ${DEST} failed (${rc}); the npm registry must be "
                      "reachable for the export tests:\n${out}\n${err}")
endif()
file(WRITE ${stamp} ${lock_hash})
