# Fails when EXPECTED differs from what `REDRESS docs lifecycle` prints.
execute_process(COMMAND ${REDRESS} docs lifecycle OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "redress docs lifecycle failed (${rc})")
endif()
file(READ ${EXPECTED} expected)
if(NOT generated STREQUAL expected)
  message(FATAL_ERROR "${EXPECTED} is stale: run `build/src/cli/redress docs lifecycle > docs/lifecycle.md`")
endif()
