/* stream.c — talking to one plate over libusb: probing, control requests,
 * and the bulk stream with everything a cable and a patient do to it
 * (PROTOCOL.md "What a host must do"). [I/O thread] throughout, except
 * usbplate_handle_stats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usbplate.h"

int usbplate_control(libusb_device_handle* usb, uint8_t request_type, uint8_t request, uint16_t value, uint8_t* data,
                     uint16_t length) {
  return libusb_control_transfer(usb, request_type, request, value, 0, data, length, USBPLATE_CONTROL_TIMEOUT_MS);
}

static void read_string(libusb_device_handle* usb, uint8_t index, char* out, size_t size) {
  out[0] = '\0';
  if (index && libusb_get_string_descriptor_ascii(usb, index, (unsigned char*)out, (int)size) < 0) out[0] = '\0';
}

int usbplate_probe(libusb_device* dev, kp_device_info* info, usbplate_info* wire) {
  const int bus = libusb_get_bus_number(dev), addr = libusb_get_device_address(dev);
  struct libusb_device_descriptor dd;
  libusb_device_handle* usb = NULL;
  int r = libusb_get_device_descriptor(dev, &dd);
  if (r == 0) r = libusb_open(dev, &usb);
  if (r == LIBUSB_ERROR_ACCESS)
    return usbplate_fail(KP_ERR_ACCESS,
                         "permission denied opening the USB plate on bus %d address %d: install the udev rule %s "
                         "(see devices/usbplate/PROTOCOL.md) and plug the plate in again",
                         bus, addr, USBPLATE_UDEV_RULE);
  if (r != 0)
    return usbplate_fail(usbplate_from_libusb(r), "cannot open the USB plate on bus %d address %d: %s", bus, addr,
                         libusb_strerror(r));
  uint8_t bytes[USBPLATE_INFO_SIZE];
  char why[128] = "";
  r = usbplate_control(usb, USBPLATE_RT_IN, USBPLATE_REQ_GET_INFO, 0, bytes, sizeof bytes);
  if (r >= 0 && usbplate_decode_info(bytes, (size_t)r, wire, why, sizeof why) != 0) r = LIBUSB_ERROR_OTHER;
  if (r < 0) {
    libusb_close(usb);
    if (why[0]) return usbplate_fail(KP_ERR_PROTOCOL, "USB plate on bus %d address %d: %s", bus, addr, why);
    return usbplate_fail(usbplate_from_libusb(r), "USB plate on bus %d address %d: GET_INFO failed: %s", bus, addr,
                         libusb_strerror(r));
  }
  memset((char*)info + sizeof info->struct_size, 0, sizeof *info - sizeof info->struct_size);
  snprintf(info->id, sizeof info->id, "usbplate:%s", wire->serial);
  read_string(usb, dd.iManufacturer, info->vendor, sizeof info->vendor);
  read_string(usb, dd.iProduct, info->model, sizeof info->model);
  char serial[64];
  read_string(usb, dd.iSerialNumber, serial, sizeof serial);
  if (serial[0] && strcmp(serial, wire->serial) != 0)
    usbplate_log(KP_LOG_WARN, "USB plate %s: iSerialNumber \"%s\" differs from GET_INFO; using GET_INFO", info->id,
                 serial);
  libusb_close(usb);
  snprintf(info->serial, sizeof info->serial, "%s", wire->serial);
  snprintf(info->firmware, sizeof info->firmware, "%s", wire->firmware);
  info->cell_count = wire->cell_count;
  for (unsigned c = 0; c < KIOSK_PLATE_MAX_CELLS; ++c) {
    info->cell_x_mm[c] = c < wire->cell_count ? wire->cell_x_mm[c] : 0.0f;
    info->cell_y_mm[c] = c < wire->cell_count ? wire->cell_y_mm[c] : 0.0f;
  }
  info->rate_count = wire->rate_count;
  for (unsigned i = 0; i < wire->rate_count; ++i) info->rates_hz[i] = wire->rates_hz[i];
  info->newtons_per_count = wire->newtons_per_count;
  return KP_OK;
}

static void LIBUSB_CALL on_transfer(struct libusb_transfer* t);

int usbplate_handle_open(usbplate_entry* e, usbplate_handle** out) {
  usbplate_handle* h = calloc(1, sizeof *h);
  if (!h) return usbplate_fail(KP_ERR_NO_MEMORY, "out of memory");
  pthread_mutex_init(&h->stats_lock, NULL);
  h->info = *usbplate_entry_info(e);
  h->wire = *usbplate_entry_wire(e);
  snprintf(h->id, sizeof h->id, "%s", h->info.id);
  int r = libusb_open(usbplate_entry_device(e), &h->usb);
  if (r == 0) r = libusb_claim_interface(h->usb, USBPLATE_INTERFACE);
  for (int i = 0; r == 0 && i < USBPLATE_TRANSFERS; ++i) {
    h->xfer[i] = libusb_alloc_transfer(0);
    unsigned char* buf = malloc(USBPLATE_TRANSFER_SIZE);
    if (!h->xfer[i] || !buf) {
      free(buf);
      r = LIBUSB_ERROR_NO_MEM;
      break;
    }
    libusb_fill_bulk_transfer(h->xfer[i], h->usb, USBPLATE_EP_STREAM, buf, USBPLATE_TRANSFER_SIZE, on_transfer, h,
                              USBPLATE_TRANSFER_TIMEOUT_MS);
    h->xfer[i]->flags = LIBUSB_TRANSFER_FREE_BUFFER;
  }
  if (r != 0) {
    char id[64];
    snprintf(id, sizeof id, "%s", h->info.id);
    usbplate_handle_close(h);
    if (r == LIBUSB_ERROR_ACCESS)
      return usbplate_fail(KP_ERR_ACCESS, "permission denied opening %s: install the udev rule %s", id,
                           USBPLATE_UDEV_RULE);
    if (r == LIBUSB_ERROR_BUSY) return usbplate_fail(KP_ERR_BUSY, "%s is in use by another program", id);
    return usbplate_fail(usbplate_from_libusb(r), "cannot open %s: %s", id, libusb_strerror(r));
  }
  h->entry = e;
  usbplate_entry_set_open_handle(e, h);
  *out = h;
  return KP_OK;
}

static void publish_stats(usbplate_handle* h) {
  pthread_mutex_lock(&h->stats_lock);
  h->stats.frames_ok = h->rx.counts.frames_ok;
  h->stats.frames_lost = h->rx.counts.frames_lost;
  h->stats.frames_garbled = h->rx.counts.frames_garbled;
  h->stats.frames_short = h->rx.counts.frames_short;
  h->stats.frames_misordered = h->rx.counts.frames_misordered;
  h->stats.bad_bursts_logged = h->rx.counts.bursts_logged;
  pthread_mutex_unlock(&h->stats_lock);
}

static void count(usbplate_handle* h, uint64_t* field) {
  pthread_mutex_lock(&h->stats_lock);
  ++*field;
  pthread_mutex_unlock(&h->stats_lock);
}

void usbplate_handle_stats(usbplate_handle* h, kp_link_stats* out) {
  const uint32_t size = out->struct_size < sizeof *out ? out->struct_size : (uint32_t)sizeof *out;
  pthread_mutex_lock(&h->stats_lock);
  memcpy((char*)out + sizeof out->struct_size, (const char*)&h->stats + sizeof out->struct_size,
         size - sizeof out->struct_size);
  pthread_mutex_unlock(&h->stats_lock);
}

static void rx_log(void* ctx, int level, const char* message) {
  (void)ctx;
  usbplate_log(level, "%s", message);
}

static int submit(usbplate_handle* h, int i) {
  const int r = libusb_submit_transfer(h->xfer[i]);
  if (r == 0) {
    h->busy[i] = 1;
    h->in_flight++;
  }
  return r;
}

static void finish(usbplate_handle* h) {
  usbplate_rx_flush_log(&h->rx);
  publish_stats(h);
  h->streaming = 0;
  h->ending = 0;
  if (h->end_reason != KP_OK) {
    usbplate_log(KP_LOG_WARN, "%s: stream ended (%d)", h->id, h->end_reason);
    h->on_end(h->user, h->end_reason);
  }
}

/* Cancels every transfer; the stream finishes when the last one is back. */
static void begin_end(usbplate_handle* h, int reason) {
  if (!h->ending) {
    h->ending = 1;
    h->end_reason = reason;
  }
  for (int i = 0; i < USBPLATE_TRANSFERS; ++i)
    if (h->busy[i]) libusb_cancel_transfer(h->xfer[i]);
  if (h->in_flight == 0) finish(h);
}

static void recover_from_stall(usbplate_handle* h) {
  usbplate_log(KP_LOG_WARN, "%s: the stream endpoint stalled; clearing the halt and resuming", h->id);
  int r = libusb_clear_halt(h->usb, USBPLATE_EP_STREAM);
  h->halted = 0;
  for (int i = 0; r == 0 && i < USBPLATE_TRANSFERS; ++i) r = submit(h, i);
  if (r != 0) begin_end(h, r == LIBUSB_ERROR_NO_DEVICE ? KP_ERR_NO_DEVICE : KP_ERR_IO);
}

static int slot_of(usbplate_handle* h, struct libusb_transfer* t) {
  for (int i = 0; i < USBPLATE_TRANSFERS; ++i)
    if (h->xfer[i] == t) return i;
  return -1;
}

static void LIBUSB_CALL on_transfer(struct libusb_transfer* t) {
  usbplate_handle* h = t->user_data;
  const int i = slot_of(h, t);
  h->busy[i] = 0;
  h->in_flight--;
  const uint64_t now = usbplate_now_ns();
  switch (t->status) {
    case LIBUSB_TRANSFER_COMPLETED:
    case LIBUSB_TRANSFER_TIMED_OUT: /* may carry part of a batch */
      if (t->actual_length > 0 && !h->ending) {
        const size_t n = usbplate_rx_feed(&h->rx, t->buffer, (size_t)t->actual_length, now, h->out,
                                          USBPLATE_MAX_FRAMES_PER_TRANSFER);
        if (n) h->on_samples(h->user, h->out, n);
        h->last_data_ns = now;
        publish_stats(h);
      }
      h->consecutive_errors = 0;
      if (t->status == LIBUSB_TRANSFER_TIMED_OUT) count(h, &h->stats.timeouts);
      break;
    case LIBUSB_TRANSFER_STALL:
      if (!h->halted) count(h, &h->stats.stalls);
      h->halted = 1;
      break;
    case LIBUSB_TRANSFER_NO_DEVICE:
      h->gone = 1;
      break;
    case LIBUSB_TRANSFER_CANCELLED:
      break;
    default: /* LIBUSB_TRANSFER_ERROR, _OVERFLOW */
      h->consecutive_errors++;
      break;
  }
  if (h->ending) {
    if (h->in_flight == 0) finish(h);
  } else if (h->gone) {
    begin_end(h, KP_ERR_NO_DEVICE);
  } else if (h->consecutive_errors >= 3) {
    begin_end(h, KP_ERR_IO);
  } else if (t->status == LIBUSB_TRANSFER_TIMED_OUT &&
             now - h->last_data_ns >= USBPLATE_NO_DATA_LIMIT_MS * 1000000ull) {
    usbplate_log(KP_LOG_ERROR, "%s: no data for %d ms", h->id, USBPLATE_NO_DATA_LIMIT_MS);
    begin_end(h, KP_ERR_TIMEOUT);
  } else if (h->halted) {
    if (h->in_flight == 0) recover_from_stall(h);
  } else {
    const int r = submit(h, i);
    if (r != 0) begin_end(h, r == LIBUSB_ERROR_NO_DEVICE ? KP_ERR_NO_DEVICE : KP_ERR_IO);
  }
}

static int refused(usbplate_handle* h, int r, const char* what) {
  if (r == LIBUSB_ERROR_PIPE) return usbplate_fail(KP_ERR_PROTOCOL, "%s: the plate refused %s", h->id, what);
  if (r == LIBUSB_ERROR_NO_DEVICE) h->gone = 1;
  return usbplate_fail(usbplate_from_libusb(r), "%s: %s failed: %s", h->id, what, libusb_strerror(r));
}

int usbplate_stream_start(usbplate_handle* h, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end,
                          void* user) {
  if (h->gone) return usbplate_fail(KP_ERR_NO_DEVICE, "%s was unplugged; close it and open it again", h->id);
  if (h->streaming) return usbplate_fail(KP_ERR_STATE, "%s is already streaming", h->id);
  if (!on_samples || !on_end) return usbplate_fail(KP_ERR_ARG, "callbacks must not be NULL");
  int known = 0;
  for (unsigned i = 0; i < h->wire.rate_count; ++i) known |= h->wire.rates_hz[i] == rate_hz;
  if (!known) return usbplate_fail(KP_ERR_ARG, "%s does not sample at %u Hz", h->id, rate_hz);
  /* STOP first: the plate may still stream for a program that died. */
  int r = usbplate_control(h->usb, USBPLATE_RT_OUT, USBPLATE_REQ_STOP, 0, NULL, 0);
  if (r < 0) return refused(h, r, "STOP");
  r = usbplate_control(h->usb, USBPLATE_RT_OUT, USBPLATE_REQ_SET_RATE, (uint16_t)rate_hz, NULL, 0);
  if (r < 0) return refused(h, r, "SET_RATE");
  r = usbplate_control(h->usb, USBPLATE_RT_OUT, USBPLATE_REQ_START, 0, NULL, 0);
  if (r < 0) return refused(h, r, "START");
  usbplate_rx_reset(&h->rx, h->id, rx_log, NULL);
  pthread_mutex_lock(&h->stats_lock);
  memset(&h->stats, 0, sizeof h->stats);
  h->stats.struct_size = sizeof h->stats;
  pthread_mutex_unlock(&h->stats_lock);
  h->on_samples = on_samples;
  h->on_end = on_end;
  h->user = user;
  h->last_data_ns = usbplate_now_ns();
  h->halted = h->ending = h->consecutive_errors = 0;
  h->end_reason = KP_OK;
  h->streaming = 1;
  for (int i = 0; i < USBPLATE_TRANSFERS; ++i) {
    r = submit(h, i);
    if (r != 0) {
      usbplate_stream_stop(h);
      return refused(h, r, "submitting a bulk transfer");
    }
  }
  return KP_OK;
}

int usbplate_stream_stop(usbplate_handle* h) {
  if (!h->streaming) return KP_OK; /* never started, or ended by itself */
  begin_end(h, KP_OK);
  while (h->streaming) {
    struct timeval tv = {0, 100000};
    libusb_handle_events_timeout_completed(usbplate_usb(), &tv, NULL);
  }
  if (!h->gone) usbplate_control(h->usb, USBPLATE_RT_OUT, USBPLATE_REQ_STOP, 0, NULL, 0);
  return KP_OK;
}

void usbplate_stream_unplugged(usbplate_handle* h) {
  h->gone = 1;
  h->entry = NULL;
  if (h->streaming) begin_end(h, KP_ERR_NO_DEVICE);
}

void usbplate_handle_close(usbplate_handle* h) {
  usbplate_stream_stop(h);
  if (h->entry) usbplate_entry_set_open_handle(h->entry, NULL);
  for (int i = 0; i < USBPLATE_TRANSFERS; ++i) libusb_free_transfer(h->xfer[i]);
  if (h->usb) {
    if (!h->gone) libusb_release_interface(h->usb, USBPLATE_INTERFACE);
    libusb_close(h->usb);
  }
  pthread_mutex_destroy(&h->stats_lock);
  free(h);
}
