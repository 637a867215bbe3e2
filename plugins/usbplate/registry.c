/* registry.c — which plates are on the bus, by libusb hotplug
 * (libusb_hotplug_register_callback) or, where libusb cannot tell, a poll of
 * the device list every USBPLATE_POLL_MS. Each plate is probed once
 * (GET_INFO) when it appears; its id "usbplate:<serial>" is the same after a
 * replug, so the host finds its calibration again. [I/O thread] throughout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usbplate.h"

#define USBPLATE_POLL_MS 500

struct usbplate_entry {
  libusb_device* dev; /* a reference */
  int error;          /* KP_OK, or why it cannot be used (then it is not listed) */
  char message[256];  /* the reason, for last_error */
  kp_device_info info;
  usbplate_info wire;
  usbplate_handle* open;
  usbplate_entry* next;
};

typedef struct pending {
  libusb_device* dev; /* a reference */
  int arrived;
  struct pending* next;
} pending;

static usbplate_entry* g_entries;
static pending* g_pending;
static int g_hotplug_registered;
static libusb_hotplug_callback_handle g_hotplug;
static int g_poll_mode;
static uint64_t g_next_poll_ns;

libusb_device* usbplate_entry_device(usbplate_entry* e) { return e->dev; }
const kp_device_info* usbplate_entry_info(const usbplate_entry* e) { return &e->info; }
const usbplate_info* usbplate_entry_wire(const usbplate_entry* e) { return &e->wire; }
usbplate_handle* usbplate_entry_open_handle(const usbplate_entry* e) { return e->open; }
void usbplate_entry_set_open_handle(usbplate_entry* e, usbplate_handle* h) { e->open = h; }

static int is_plate(libusb_device* dev) {
  struct libusb_device_descriptor d;
  return libusb_get_device_descriptor(dev, &d) == 0 && d.idVendor == USBPLATE_VID && d.idProduct == USBPLATE_PID;
}

static usbplate_entry* find_by_dev(libusb_device* dev) {
  for (usbplate_entry* e = g_entries; e; e = e->next)
    if (e->dev == dev) return e;
  return NULL;
}

usbplate_entry* usbplate_registry_find(const char* id) {
  for (usbplate_entry* e = g_entries; e; e = e->next)
    if (e->error == KP_OK && strcmp(e->info.id, id) == 0) return e;
  return NULL;
}

/* Probes (again); announces the plate when it becomes usable. */
static void probe(usbplate_entry* e) {
  const int before = e->error;
  e->info.struct_size = sizeof e->info;
  e->error = usbplate_probe(e->dev, &e->info, &e->wire);
  if (e->error == KP_OK) {
    for (usbplate_entry* o = g_entries; o; o = o->next)
      if (o != e && o->error == KP_OK && strcmp(o->info.id, e->info.id) == 0) {
        e->error = usbplate_fail(KP_ERR_BUSY, "two plates report serial %s; only the first is used", e->wire.serial);
        break;
      }
  }
  if (e->error == KP_OK) {
    usbplate_log(KP_LOG_INFO, "plate found id=%s bus=%d address=%d firmware=%s", e->info.id,
                 libusb_get_bus_number(e->dev), libusb_get_device_address(e->dev), e->info.firmware);
    usbplate_device_changed(e->info.id, 1);
    return;
  }
  snprintf(e->message, sizeof e->message, "%s", usbplate_last_error());
  if (e->error != before) usbplate_log(KP_LOG_ERROR, "%s", e->message); /* once per new reason */
}

static void add(libusb_device* dev) {
  if (!is_plate(dev) || find_by_dev(dev)) return;
  usbplate_entry* e = calloc(1, sizeof *e);
  if (!e) return;
  e->dev = libusb_ref_device(dev);
  e->error = 1; /* not probed yet: any outcome is new */
  e->next = g_entries;
  g_entries = e;
  probe(e);
}

static void remove_entry(usbplate_entry* e) {
  for (usbplate_entry** p = &g_entries; *p; p = &(*p)->next)
    if (*p == e) {
      *p = e->next;
      break;
    }
  if (e->open) usbplate_stream_unplugged(e->open);
  if (e->error == KP_OK) {
    usbplate_log(KP_LOG_WARN, "plate gone id=%s", e->info.id);
    usbplate_device_changed(e->info.id, 0);
  }
  libusb_unref_device(e->dev);
  free(e);
}

static int LIBUSB_CALL on_hotplug(libusb_context* ctx, libusb_device* dev, libusb_hotplug_event event, void* user) {
  (void)ctx;
  (void)user;
  pending* p = calloc(1, sizeof *p); /* probed after the event loop returns: no I/O inside callbacks */
  if (!p) return 0;
  p->dev = libusb_ref_device(dev);
  p->arrived = event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED;
  pending** tail = &g_pending;
  while (*tail) tail = &(*tail)->next;
  *tail = p;
  return 0;
}

int usbplate_registry_sync(int* inaccessible) {
  libusb_device** list = NULL;
  const ssize_t n = libusb_get_device_list(usbplate_usb(), &list);
  if (n < 0) return usbplate_fail(usbplate_from_libusb((int)n), "cannot list USB devices: %s", libusb_strerror((int)n));
  for (usbplate_entry *e = g_entries, *next; e; e = next) {
    next = e->next;
    int present = 0;
    for (ssize_t i = 0; i < n && !present; ++i) present = list[i] == e->dev;
    if (!present) remove_entry(e);
  }
  for (ssize_t i = 0; i < n; ++i) add(list[i]);
  libusb_free_device_list(list, 1);
  int usable = 0;
  const char* why = NULL;
  for (usbplate_entry* e = g_entries; e; e = e->next) {
    if (e->error != KP_OK && !e->open) probe(e); /* e.g. the udev rule was installed since */
    usable += e->error == KP_OK;
    if (e->error == KP_ERR_ACCESS) why = e->message;
  }
  if (inaccessible) *inaccessible = why != NULL;
  if (why && usable == 0) return usbplate_fail(KP_ERR_ACCESS, "%s", why);
  return usable;
}

int usbplate_registry_start(void) {
  const char* mode = getenv("KIOSK_USBPLATE_HOTPLUG"); /* "poll" forces the fallback (tests) */
  g_poll_mode = (mode && strcmp(mode, "poll") == 0) || !libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG);
  if (!g_poll_mode) {
    const int r = libusb_hotplug_register_callback(
        usbplate_usb(), LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
        LIBUSB_HOTPLUG_ENUMERATE, USBPLATE_VID, USBPLATE_PID, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, NULL, &g_hotplug);
    g_hotplug_registered = r == 0;
    g_poll_mode = r != 0;
    if (r != 0) usbplate_log(KP_LOG_WARN, "USB hotplug unavailable (%s); polling for plates", libusb_strerror(r));
  }
  g_next_poll_ns = 0;
  usbplate_registry_pump();
  return KP_OK;
}

void usbplate_registry_pump(void) {
  while (g_pending) {
    pending* p = g_pending;
    g_pending = p->next;
    if (p->arrived) {
      add(p->dev);
    } else if (find_by_dev(p->dev)) {
      remove_entry(find_by_dev(p->dev));
    }
    libusb_unref_device(p->dev);
    free(p);
  }
  const uint64_t now = usbplate_now_ns();
  if (g_poll_mode && now >= g_next_poll_ns) {
    usbplate_registry_sync(NULL);
    g_next_poll_ns = now + USBPLATE_POLL_MS * 1000000ull;
  }
}

int usbplate_registry_list(kp_device_info* infos, uint32_t max) {
  int n = 0;
  for (usbplate_entry* e = g_entries; e; e = e->next) {
    if (e->error != KP_OK) continue;
    if ((uint32_t)n < max && infos) {
      kp_device_info* out = &infos[n];
      const uint32_t size = out->struct_size < sizeof *out ? out->struct_size : (uint32_t)sizeof *out;
      memcpy((char*)out + sizeof out->struct_size, (const char*)&e->info + sizeof out->struct_size,
             size > sizeof out->struct_size ? size - sizeof out->struct_size : 0);
    }
    ++n;
  }
  return n;
}

void usbplate_registry_stop(void) {
  if (g_hotplug_registered) libusb_hotplug_deregister_callback(usbplate_usb(), g_hotplug);
  g_hotplug_registered = 0;
  while (g_pending) {
    pending* p = g_pending;
    g_pending = p->next;
    libusb_unref_device(p->dev);
    free(p);
  }
  while (g_entries) {
    usbplate_entry* e = g_entries;
    g_entries = e->next;
    if (e->open) usbplate_handle_close(e->open); /* the host should have closed it */
    libusb_unref_device(e->dev);
    free(e);
  }
}
