package org.sealpost.signing.dkim2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Myers' O((N+M)D) difference of two sequences of line hashes, after the common prefix and suffix
 * are set aside: which earlier line is kept as which later line. The search stops past
 * {@code maxEdits} insertions and deletions, because its trace grows as the square of that number.
 */
final class LineDiff {

    private LineDiff() {
    }

    /**
     * For each earlier line, the index of the later line it is kept as, or -1 when it is not kept;
     * the kept indices ascend. Null when more than {@code maxEdits} lines must be inserted or deleted.
     */
    static int[] kept(long[] earlier, int n, long[] later, int m, int maxEdits) {
        int[] kept = new int[n];
        Arrays.fill(kept, -1);
        int prefix = 0;
        while (prefix < n && prefix < m && earlier[prefix] == later[prefix]) {
            kept[prefix] = prefix;
            prefix++;
        }
        int suffix = 0;
        while (suffix < n - prefix && suffix < m - prefix && earlier[n - 1 - suffix] == later[m - 1 - suffix]) {
            kept[n - 1 - suffix] = m - 1 - suffix;
            suffix++;
        }
        int rows = n - prefix - suffix;
        int columns = m - prefix - suffix;
        if (rows == 0 || columns == 0) {
            return rows + columns <= maxEdits ? kept : null;
        }
        int limit = Math.min(rows + columns, maxEdits);
        int offset = limit + 1;
        int[] v = new int[2 * limit + 3];
        List<int[]> trace = new ArrayList<>();
        for (int d = 0; d <= limit; d++) {
            // The state after round d-1, for k in [-d, d]: what the backtrack at round d reads.
            trace.add(Arrays.copyOfRange(v, offset - d, offset + d + 1));
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || k != d && v[offset + k - 1] < v[offset + k + 1] ? v[offset + k + 1] : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < rows && y < columns && earlier[prefix + x] == later[prefix + y]) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= rows && y >= columns) {
                    backtrack(trace, d, rows, columns, prefix, kept);
                    return kept;
                }
            }
        }
        return null;
    }

    private static void backtrack(List<int[]> trace, int found, int x, int y, int prefix, int[] kept) {
        for (int d = found; d > 0; d--) {
            int[] previous = trace.get(d);
            int k = x - y;
            int previousK = k == -d || k != d && previous[k - 1 + d] < previous[k + 1 + d] ? k + 1 : k - 1;
            int previousX = previous[previousK + d];
            int previousY = previousX - previousK;
            while (x > previousX && y > previousY) {
                x--;
                y--;
                kept[prefix + x] = prefix + y;
            }
            x = previousX;
            y = previousY;
        }
        while (x > 0 && y > 0) {
            x--;
            y--;
            kept[prefix + x] = prefix + y;
        }
    }
}
