/**
 * ES module stand-in for the CommonJS package interval-tree-1d, which Observable Plot imports for
 * its dodge transform only. The explorer's figures do not dodge; using it says so.
 */
export default function createIntervalTree() {
  throw new Error('interval-tree-1d is not available in the gaussdiff explorer page (Plot dodge transform unused)');
}
