package dev.quarry.examples;

import dev.quarry.client.*;

/** Lithops' storage example in Java: put an object, read it whole and in part, list, delete. */
public final class StorageBasics {
  public static void main(String[] args) throws Exception {
    // README:begin
    try (var storage = QuarryStorage.connect("localhost:9090")) {
      storage.putObject("my-bucket", "test.txt", "Hello World");
      System.out.println(storage.getObjectAsString("my-bucket", "test.txt"));
      System.out.println(new String(storage.getObject("my-bucket", "test.txt", 6, 5)));
      for (ObjectInfo o : storage.listObjects("my-bucket", "").toList()) {
        System.out.println(o.key() + " " + o.size());
      }
      storage.deleteObject("my-bucket", "test.txt");
      System.out.println(storage.exists("my-bucket", "test.txt"));
    }
    // README:end
  }
}
