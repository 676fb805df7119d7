/**
 * Maps over stored data: the server lists a bucket's objects and plans one future per object or per
 * byte range of whole lines (Lithops' partitioner).
 */
@NullMarked
package dev.quarry.server.data;

import org.jspecify.annotations.NullMarked;
