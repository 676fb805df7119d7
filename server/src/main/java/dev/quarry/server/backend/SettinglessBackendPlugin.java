package dev.quarry.server.backend;

import java.util.Map;
import java.util.Set;

/**
 * A plug-in whose profiles take no settings of their own and may name any credential or none
 * ({@code local}, {@code standalone}): only the common settings of {@link ProfileSettings} apply.
 */
public abstract class SettinglessBackendPlugin implements BackendPlugin {
  @Override
  public final Set<String> settingNames() {
    return Set.of();
  }

  @Override
  public final void validate(Map<String, String> settings) {}

  @Override
  public final CredentialRule credentials() {
    return CredentialRule.ANY;
  }
}
