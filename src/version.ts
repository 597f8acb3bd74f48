// The product version, shown in banners, CER/CEA Firmware-Revision and the tree.
export const AREG_VERSION = '1.0.0';
export const PRODUCT_NAME = 'areg';
