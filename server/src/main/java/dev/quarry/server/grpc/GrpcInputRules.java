package dev.quarry.server.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The gRPC twin of the REST body rules: a request that does not parse is INVALID_ARGUMENT (not
 * INTERNAL, which says the server is at fault), and no string field may hold a NUL character, which
 * PostgreSQL cannot store.
 */
final class GrpcInputRules implements ServerInterceptor {
  /** Set by a request marshaller that refused a message, read on the same thread right after. */
  private static final ThreadLocal<StatusRuntimeException> REJECTED = new ThreadLocal<>();

  /**
   * Closes a call whose message was refused by the marshaller. Must be the outermost interceptor,
   * so it sees every message before anything else does.
   */
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    REJECTED.remove();
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      private boolean closed;

      @Override
      public void onMessage(Q message) {
        StatusRuntimeException rejected = REJECTED.get();
        REJECTED.remove();
        if (closed) {
          return;
        }
        if (rejected != null) {
          closed = true;
          call.close(rejected.getStatus(), rejected.getTrailers());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!closed) {
          super.onHalfClose();
        }
      }
    };
  }

  /** {@code service} with every method's request marshaller checking its input. */
  static ServerServiceDefinition wrap(ServerServiceDefinition service) {
    ServiceDescriptor old = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(old.getName()).setSchemaDescriptor(old.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods =
        service.getMethods().stream()
            .<ServerMethodDefinition<?, ?>>map(GrpcInputRules::wrap)
            .toList();
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(out::addMethod);
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> wrap(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> md = method.getMethodDescriptor();
    MethodDescriptor.Marshaller<Q> parse = md.getRequestMarshaller();
    @SuppressWarnings("unchecked")
    Q prototype =
        parse instanceof MethodDescriptor.PrototypeMarshaller<?> p
            ? (Q) p.getMessagePrototype()
            : null;
    MethodDescriptor.Marshaller<Q> checked =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(Q value) {
            return parse.stream(value);
          }

          @Override
          public Q parse(InputStream stream) {
            try {
              Q request = parse.parse(stream);
              if (request instanceof Message m) {
                check(m, "");
              }
              return request;
            } catch (RuntimeException e) {
              // Thrown here, gRPC would answer UNKNOWN; the listener below answers the status
              // instead.
              REJECTED.set(
                  GrpcErrors.exception(
                      e instanceof ApiException api
                          ? api
                          : new ApiException(
                              ErrorReason.MALFORMED_REQUEST, "malformed request message")));
              return prototype;
            }
          }
        };
    return ServerMethodDefinition.create(
        md.toBuilder().setRequestMarshaller(checked).build(), method.getServerCallHandler());
  }

  private static void check(Message message, String path) {
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      String name = path + e.getKey().getName();
      if (e.getValue() instanceof List<?> list) {
        for (Object item : list) {
          checkValue(item, name);
        }
      } else {
        checkValue(e.getValue(), name);
      }
    }
  }

  private static void checkValue(Object value, String name) {
    if (value instanceof String s && s.indexOf('\0') >= 0) {
      throw ApiException.invalid("'" + name + "' contains a NUL character");
    }
    if (value instanceof Message m) {
      check(m, name + ".");
    }
  }
}
