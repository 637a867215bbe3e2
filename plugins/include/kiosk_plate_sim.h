/* kiosk_plate_sim.h — extension "kiosk.plate.sim/1" of the simulated plate.
 *
 * Lets a host (demo mode, tests, benchmarks) choose what the simulated
 * person does on the plate. Hardware plugins do not provide it. The spec is
 * space-separated key=value pairs, e.g.
 *   "scenario=heel_raises reps=12 rate_per_min=30 seed=3"
 * (keys: plugins/sim/scenario_spec.h). It applies from the next start().
 */
#ifndef KIOSK_PLATE_SIM_H
#define KIOSK_PLATE_SIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KP_EXT_SIM_V1 "kiosk.plate.sim/1"

typedef struct kp_sim_v1 {
  uint32_t struct_size;
  /* [main] KP_OK, or KP_ERR_ARG with the reason in last_error(). */
  int (*set_scenario)(const char* spec);
} kp_sim_v1;

#ifdef __cplusplus
}
#endif

#endif /* KIOSK_PLATE_SIM_H */
