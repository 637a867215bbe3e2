/* A test fixture plugin in plain C11, built several times with
 * FIXTURE_DEFECT set to break one rule of the ABI each time, so the host's
 * checks are proven against real shared libraries.
 *
 * Its devices stream a synthetic ramp from their own thread at the asked
 * rate, in batches of 10, and misbehave by id:
 *   fixture:steady    every sequence number in order
 *   fixture:gappy     skips one sequence number after every 100th sample
 *   fixture:misorder  resends an old sequence number every 50 samples
 *   fixture:unplug    ends the stream with KP_ERR_NO_DEVICE after 200 samples
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk_plate.h"

#ifndef FIXTURE_DEFECT
#define FIXTURE_DEFECT 0
#endif
#define DEFECT_NO_ENTRY 1
#define DEFECT_WRONG_ABI 2
#define DEFECT_SMALL_STRUCT 3
#define DEFECT_NULL_INIT 4
#define DEFECT_NULL_START 5
#define DEFECT_NO_DEVICES 6
#define DEFECT_INIT_FAILS 7

static const char* const kIds[] = {"fixture:steady", "fixture:gappy", "fixture:misorder", "fixture:unplug"};
enum { kDeviceCount = 4 };

typedef struct device {
  int kind; /* index in kIds */
  pthread_t thread;
  int running; /* written by main, read by the thread */
  pthread_mutex_t lock;
  uint32_t rate_hz;
  kp_samples_fn on_samples;
  kp_stream_end_fn on_end;
  void* user;
} device;

static _Thread_local char last_error_text[128] = "";
static const kp_host* host;

static int fail(int code, const char* text) {
  snprintf(last_error_text, sizeof last_error_text, "%s", text);
  return code;
}

static int is_running(device* d) {
  pthread_mutex_lock(&d->lock);
  int r = d->running;
  pthread_mutex_unlock(&d->lock);
  return r;
}

static void* stream_thread(void* arg) {
  device* d = (device*)arg;
  const uint64_t period_ns = 1000000000ull / d->rate_hz;
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  uint32_t seq = 0;
  uint64_t n = 0;
  while (is_running(d)) {
    kp_sample batch[10];
    memset(batch, 0, sizeof batch);
    for (int i = 0; i < 10; ++i, ++n) {
      batch[i].t_ns = n * period_ns;
      batch[i].seq = seq++;
      if (d->kind == 1 && n % 100 == 99) seq++;
      if (d->kind == 2 && n % 50 == 49) batch[i].seq = seq - 5;
      for (int c = 0; c < 4; ++c) batch[i].raw[c] = (int32_t)(1000 * c + (int32_t)(n % 1000));
    }
    d->on_samples(d->user, batch, 10);
    if (d->kind == 3 && n >= 200) {
      d->on_end(d->user, KP_ERR_NO_DEVICE);
      return NULL;
    }
    uint64_t due = n * period_ns;
    struct timespec t = {start.tv_sec + (time_t)(due / 1000000000ull), start.tv_nsec + (long)(due % 1000000000ull)};
    if (t.tv_nsec >= 1000000000L) {
      t.tv_sec++;
      t.tv_nsec -= 1000000000L;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
  }
  return NULL;
}

static int fx_enumerate(kp_device_info* infos, uint32_t max) {
  for (uint32_t i = 0; i < max && i < kDeviceCount; ++i) {
    kp_device_info* info = &infos[i];
    uint32_t size = info->struct_size;
    memset(info, 0, size < sizeof *info ? size : sizeof *info);
    info->struct_size = size;
    snprintf(info->id, sizeof info->id, "%s", kIds[i]);
    snprintf(info->vendor, sizeof info->vendor, "Test");
    snprintf(info->model, sizeof info->model, "Fixture");
    snprintf(info->serial, sizeof info->serial, "FX%u", i);
    snprintf(info->firmware, sizeof info->firmware, "1.0");
    info->cell_count = 4;
    const float x[4] = {-200, 200, -200, 200}, y[4] = {150, 150, -150, -150};
    for (int c = 0; c < 4; ++c) {
      info->cell_x_mm[c] = x[c];
      info->cell_y_mm[c] = y[c];
    }
    info->rate_count = 2;
    info->rates_hz[0] = 100;
    info->rates_hz[1] = 1000;
    info->newtons_per_count = 0.01;
  }
  return kDeviceCount;
}

static int fx_open(const char* id, void** handle) {
  for (int i = 0; i < kDeviceCount; ++i) {
    if (strcmp(id, kIds[i]) == 0) {
      static device devices[kDeviceCount];
      device* d = &devices[i];
      memset(d, 0, sizeof *d);
      d->kind = i;
      pthread_mutex_init(&d->lock, NULL);
      *handle = d;
      return KP_OK;
    }
  }
  return fail(KP_ERR_NO_DEVICE, "no such fixture device");
}

static int fx_start(void* handle, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user) {
  device* d = (device*)handle;
  if (rate_hz != 100 && rate_hz != 1000) return fail(KP_ERR_ARG, "rate must be 100 or 1000 Hz");
  if (d->running) return fail(KP_ERR_STATE, "already streaming");
  d->rate_hz = rate_hz;
  d->on_samples = on_samples;
  d->on_end = on_end;
  d->user = user;
  d->running = 1;
  if (pthread_create(&d->thread, NULL, stream_thread, d) != 0) {
    d->running = 0;
    return fail(KP_ERR_NO_MEMORY, "cannot start the stream thread");
  }
  return KP_OK;
}

static int fx_stop(void* handle) {
  device* d = (device*)handle;
  if (!d->running) return fail(KP_ERR_STATE, "not streaming");
  pthread_mutex_lock(&d->lock);
  d->running = 0;
  pthread_mutex_unlock(&d->lock);
  pthread_join(d->thread, NULL);
  return KP_OK;
}

static void fx_close(void* handle) {
  device* d = (device*)handle;
  if (d->running) fx_stop(handle);
  pthread_mutex_destroy(&d->lock);
}

static const char* fx_last_error(void) { return last_error_text; }

static const kp_devices_v1 devices_ext = {sizeof(kp_devices_v1),
                                          fx_enumerate,
                                          fx_open,
#if FIXTURE_DEFECT == DEFECT_NULL_START
                                          NULL,
#else
                                          fx_start,
#endif
                                          fx_stop,
                                          fx_close,
                                          fx_last_error};

static int fx_init(const kp_host* h) {
  if (FIXTURE_DEFECT == DEFECT_INIT_FAILS) return KP_ERR_ACCESS;
  host = h;
  if (host && host->log) host->log(host->ctx, KP_LOG_INFO, "fixture plugin ready");
  return KP_OK;
}
static void fx_deinit(void) { host = NULL; }

static const void* fx_get_extension(const char* id) {
  if (FIXTURE_DEFECT == DEFECT_NO_DEVICES) return NULL;
  return strcmp(id, KP_EXT_DEVICES_V1) == 0 ? &devices_ext : NULL;
}

static const kp_plugin descriptor = {
#if FIXTURE_DEFECT == DEFECT_WRONG_ABI
    KIOSK_PLATE_ABI_VERSION + 1,
#else
    KIOSK_PLATE_ABI_VERSION,
#endif
#if FIXTURE_DEFECT == DEFECT_SMALL_STRUCT
    sizeof(kp_plugin) - sizeof(void*),
#else
    sizeof(kp_plugin),
#endif
    "fixture",
    "Test fixture plate",
    "1.0",
#if FIXTURE_DEFECT == DEFECT_NULL_INIT
    NULL,
#else
    fx_init,
#endif
    fx_deinit,
    fx_get_extension};

#if FIXTURE_DEFECT == DEFECT_NO_ENTRY
KIOSK_PLATE_EXPORT const kp_plugin* kiosk_plate_entry_misspelt(void) { return &descriptor; }
#else
KIOSK_PLATE_EXPORT const kp_plugin* kiosk_plate_entry(void) { return &descriptor; }
#endif
