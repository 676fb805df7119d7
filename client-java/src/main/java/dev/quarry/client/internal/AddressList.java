package dev.quarry.client.internal;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Several servers of one Quarry service as one gRPC target: {@code host1:9090,host2:9090}. The
 * channel's {@code pick_first} policy connects to the first that answers, in the order given, and
 * moves on to the next when a connection fails or is lost; idempotent calls that failed with
 * UNAVAILABLE are retried on the next connection (see {@link Channels}).
 */
final class AddressList extends NameResolverProvider {
  static final String SCHEME = "quarry-list";

  private static final AddressList INSTANCE = new AddressList();

  static {
    NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
  }

  private AddressList() {}

  /**
   * The gRPC target for {@code target}: a single address stays as it is; a comma-separated list
   * becomes a target of this resolver.
   *
   * @throws IllegalArgumentException if an entry of a list is not {@code host:port}
   */
  static String grpcTarget(String target) {
    if (!target.contains(",")) {
      return target;
    }
    // checked now, naming a bad entry, rather than at the first call
    return SCHEME
        + ":///"
        + String.join(",", parse(target).stream().map(AddressList::hostPort).toList());
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The {@code host:port} entries of a comma-separated list, in order. */
  static List<InetSocketAddress> parse(String list) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String raw : list.split(",", -1)) {
      String entry = raw.strip();
      int colon = entry.lastIndexOf(':');
      int port = -1;
      if (colon > 0) {
        try {
          port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException(
            "server address '"
                + entry
                + "' in '"
                + list
                + "' is not host:port (a list is host1:port1,host2:port2)");
      }
      String host = entry.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      out.add(InetSocketAddress.createUnresolved(host, port));
    }
    return out;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return Set.of(InetSocketAddress.class);
  }

  @Override
  public @Nullable NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    String list = targetUri.getPath().startsWith("/") ? targetUri.getPath().substring(1) : "";
    return new Resolver(parse(list), args.getOffloadExecutor());
  }

  /** Resolves every host of the list (DNS off the channel's thread), keeping the order. */
  private static final class Resolver extends NameResolver {
    private final List<InetSocketAddress> entries;
    private final Executor offload;
    private @Nullable Listener2 listener;

    Resolver(List<InetSocketAddress> entries, @Nullable Executor offload) {
      this.entries = entries;
      this.offload = offload == null ? Runnable::run : offload;
    }

    @Override
    public String getServiceAuthority() {
      return hostPort(entries.get(0));
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      refresh();
    }

    @Override
    public void refresh() {
      offload.execute(this::resolve);
    }

    private void resolve() {
      Listener2 listener = this.listener;
      if (listener == null) {
        return;
      }
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      for (InetSocketAddress e : entries) {
        InetSocketAddress resolved = new InetSocketAddress(e.getHostString(), e.getPort());
        if (resolved.isUnresolved()) {
          unknown.add(e.getHostString());
        } else {
          groups.add(new EquivalentAddressGroup(resolved));
        }
      }
      if (groups.isEmpty()) {
        listener.onError(Status.UNAVAILABLE.withDescription("cannot resolve " + unknown));
        return;
      }
      listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
    }

    @Override
    public void shutdown() {}
  }
}
