package dev.quarry.server.storage;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param nextPageToken where the next page starts; empty on the last page
 */
public record ObjectPage(List<StoredObject> objects, String nextPageToken) {
  public ObjectPage {
    objects = List.copyOf(objects);
  }
}
