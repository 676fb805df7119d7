package dev.quarry.server.grpc;

import dev.quarry.proto.v1.Credential;
import dev.quarry.proto.v1.CredentialServiceGrpc;
import dev.quarry.proto.v1.DeleteCredentialRequest;
import dev.quarry.proto.v1.DeleteProfileRequest;
import dev.quarry.proto.v1.ListCredentialsRequest;
import dev.quarry.proto.v1.ListCredentialsResponse;
import dev.quarry.proto.v1.ListProfilesRequest;
import dev.quarry.proto.v1.ListProfilesResponse;
import dev.quarry.proto.v1.Profile;
import dev.quarry.proto.v1.PutCredentialRequest;
import dev.quarry.proto.v1.PutProfileRequest;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.credentials.ProfileService;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Component;

/** gRPC face of credentials and profiles; same rules as REST. */
@Component
public class CredentialGrpcService extends CredentialServiceGrpc.CredentialServiceImplBase {
  private final CredentialService credentials;
  private final ProfileService profiles;

  public CredentialGrpcService(CredentialService credentials, ProfileService profiles) {
    this.credentials = credentials;
    this.profiles = profiles;
  }

  @Override
  public void putCredential(PutCredentialRequest r, StreamObserver<Credential> out) {
    JobGrpcService.unary(
        out,
        () ->
            credential(
                credentials.put(
                    AuthInterceptor.principal(), r.getName(), r.getKind(), r.getFieldsMap())));
  }

  @Override
  public void listCredentials(
      ListCredentialsRequest r, StreamObserver<ListCredentialsResponse> out) {
    JobGrpcService.unary(
        out,
        () -> {
          var b = ListCredentialsResponse.newBuilder();
          credentials
              .list(AuthInterceptor.principal())
              .forEach(c -> b.addCredentials(credential(c)));
          return b.build();
        });
  }

  @Override
  public void deleteCredential(DeleteCredentialRequest r, StreamObserver<Credential> out) {
    JobGrpcService.unary(
        out, () -> credential(credentials.delete(AuthInterceptor.principal(), r.getName())));
  }

  @Override
  public void putProfile(PutProfileRequest r, StreamObserver<Profile> out) {
    JobGrpcService.unary(
        out,
        () ->
            profile(
                profiles.put(
                    AuthInterceptor.principal(),
                    r.getName(),
                    r.getBackend(),
                    r.getSettingsMap(),
                    r.getCredential().isEmpty() ? null : r.getCredential())));
  }

  @Override
  public void listProfiles(ListProfilesRequest r, StreamObserver<ListProfilesResponse> out) {
    JobGrpcService.unary(
        out,
        () -> {
          var b = ListProfilesResponse.newBuilder();
          profiles.list(AuthInterceptor.principal()).forEach(p -> b.addProfiles(profile(p)));
          return b.build();
        });
  }

  @Override
  public void deleteProfile(DeleteProfileRequest r, StreamObserver<Profile> out) {
    JobGrpcService.unary(
        out, () -> profile(profiles.delete(AuthInterceptor.principal(), r.getName())));
  }

  private static Credential credential(CredentialService.CredentialInfo c) {
    return Credential.newBuilder()
        .setName(c.name())
        .setKind(c.kind())
        .setCreatedAtMs(c.createdAt().toEpochMilli())
        .setUpdatedAtMs(c.updatedAt().toEpochMilli())
        .build();
  }

  private static Profile profile(ProfileService.Profile p) {
    Profile.Builder b =
        Profile.newBuilder()
            .setName(p.name())
            .setBackend(p.backend())
            .putAllSettings(p.settings())
            .setCreatedAtMs(p.createdAt().toEpochMilli())
            .setUpdatedAtMs(p.updatedAt().toEpochMilli());
    if (p.credential() != null) {
      b.setCredential(p.credential());
    }
    return b.build();
  }
}
