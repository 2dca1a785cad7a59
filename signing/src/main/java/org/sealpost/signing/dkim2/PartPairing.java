package org.sealpost.signing.dkim2;

import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/** Pairs the parts of two {@link MimeOutline}s in the four rounds {@link ChangeReport} describes. */
final class PartPairing {

    private PartPairing() {
    }

    static void changes(List<MimeOutline.Part> earlier, List<MimeOutline.Part> later, Set<ChangeReport.Change> changes) {
        int[] pairedWith = new int[earlier.size()];
        boolean[] laterPaired = new boolean[later.size()];
        boolean[] changed = new boolean[earlier.size()];
        java.util.Arrays.fill(pairedWith, -1);
        pair(earlier, later, pairedWith, laterPaired, changed, false,
                (e, l) -> e.contentHash().equals(l.contentHash()) && e.headerHash().equals(l.headerHash())
                        && e.contentType().equals(l.contentType()));
        pair(earlier, later, pairedWith, laterPaired, changed, true,
                (e, l) -> e.decodedHash().equals(l.decodedHash()) && e.contentType().equals(l.contentType()));
        pair(earlier, later, pairedWith, laterPaired, changed, true,
                (e, l) -> e.path().equals(l.path()) && e.contentType().equals(l.contentType()));
        pair(earlier, later, pairedWith, laterPaired, changed, true,
                (e, l) -> parent(e.path()).equals(parent(l.path())) && e.contentType().equals(l.contentType()));
        for (int i = 0; i < earlier.size(); i++) {
            MimeOutline.Part part = earlier.get(i);
            if (pairedWith[i] < 0) {
                changes.add(new ChangeReport.Change(ChangeReport.Kind.REMOVED, ChangeReport.What.PART, part.path(), part.contentType()));
            } else if (changed[i]) {
                changes.add(new ChangeReport.Change(ChangeReport.Kind.CHANGED, ChangeReport.What.PART, part.path(), part.contentType()));
            }
        }
        for (int j = 0; j < later.size(); j++) {
            if (!laterPaired[j]) {
                MimeOutline.Part part = later.get(j);
                changes.add(new ChangeReport.Change(ChangeReport.Kind.ADDED, ChangeReport.What.PART, part.path(), part.contentType()));
            }
        }
    }

    /** One round: each unpaired earlier part, in order, takes the first unpaired later part that fits. */
    private static void pair(List<MimeOutline.Part> earlier, List<MimeOutline.Part> later, int[] pairedWith,
            boolean[] laterPaired, boolean[] changed, boolean isChange, BiPredicate<MimeOutline.Part, MimeOutline.Part> fits) {
        for (int i = 0; i < earlier.size(); i++) {
            if (pairedWith[i] >= 0) {
                continue;
            }
            for (int j = 0; j < later.size(); j++) {
                if (!laterPaired[j] && fits.test(earlier.get(i), later.get(j))) {
                    pairedWith[i] = j;
                    laterPaired[j] = true;
                    // Same decoded content with the same header and content would have paired in round 1.
                    changed[i] = isChange;
                    break;
                }
            }
        }
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }
}
