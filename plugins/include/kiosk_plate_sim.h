/* kiosk_plate_sim.h — extension "kiosk.plate.sim/1" of the simulated plate.
 *
 * Lets a host (demo mode, tests, benchmarks) choose what the simulated
 * person does on the plate. Hardware plugins do not provide it. The spec is
 * space-separated key=value pairs, e.g.
 *   "scenario=heel_raises reps=12 rate_per_min=30 seed=3"
 * (keys: plugins/sim/scenario_spec.h). It applies from the next start().
 *
 * Clock. By default the plate plays in real time (speed= plays faster).
 * Under the key clock=stepped it plays on a virtual clock instead, for tests
 * that must not wait on the wall clock: a started stream delivers nothing
 * until advance() plays the next stretch of device time. Device times
 * (kp_sample.t_ns) are the same either way.
 *
 * Revisions of this struct (fields are only appended; read struct_size):
 *   1  set_scenario
 *   2  advance (KP_SIM_V1_ADVANCE_SIZE bytes or more)
 */
#ifndef KIOSK_PLATE_SIM_H
#define KIOSK_PLATE_SIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KP_EXT_SIM_V1 "kiosk.plate.sim/1"

typedef struct kp_sim_v1 {
  uint32_t struct_size;
  /* [main] KP_OK, or KP_ERR_ARG with the reason in last_error(). */
  int (*set_scenario)(const char* spec);
  /* [main] Revision 2. Under clock=stepped, plays the next `ns` of device
   * time on the stream that is running: returns once every sample with
   * t_ns below the new time (and a stream end or unplug within it) went
   * through kp_samples_fn. KP_OK (also when nothing streams), or KP_ERR_STATE
   * when the plate runs on the wall clock. */
  int (*advance)(uint64_t ns);
} kp_sim_v1;

/* The size of a kp_sim_v1 that has advance(); smaller ones are revision 1. */
#define KP_SIM_V1_ADVANCE_SIZE (offsetof(kp_sim_v1, advance) + sizeof(int (*)(uint64_t)))

#ifdef __cplusplus
}
#endif

#endif /* KIOSK_PLATE_SIM_H */
