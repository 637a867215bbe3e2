/* kiosk_plate.h — the force-plate plugin ABI (C11; also valid C++20).
 *
 * Versioning: KIOSK_PLATE_ABI_VERSION is the first field of the descriptor a
 * plugin exports. The host refuses a plugin whose major version differs from
 * its own. Additions keep the version and are found by capability id.
 */
#ifndef KIOSK_PLATE_H
#define KIOSK_PLATE_H

#define KIOSK_PLATE_ABI_VERSION 1

#endif /* KIOSK_PLATE_H */
