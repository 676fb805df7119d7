package dev.quarry.server.dashboard.internal;

import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.credentials.ProfileService;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.server.limits.LimitsService;
import dev.quarry.server.tenancy.KeyService;
import dev.quarry.server.tenancy.TenantService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Read-only pages of the tenant's settings through the services the API uses: functions and
 * profiles for everyone of the tenant; keys, credentials (names and kinds, never values), limits
 * and the audit log for admins; tenants for the operator.
 */
@Controller
class SettingsPages {
  static final int AUDIT_ROWS = 200;

  private final FunctionService functions;
  private final ProfileService profiles;
  private final KeyService keys;
  private final CredentialService credentials;
  private final LimitsService limits;
  private final AuditLog audit;
  private final TenantService tenants;

  SettingsPages(
      FunctionService functions,
      ProfileService profiles,
      KeyService keys,
      CredentialService credentials,
      LimitsService limits,
      AuditLog audit,
      TenantService tenants) {
    this.functions = functions;
    this.profiles = profiles;
    this.keys = keys;
    this.credentials = credentials;
    this.limits = limits;
    this.audit = audit;
    this.tenants = tenants;
  }

  @GetMapping("/functions")
  String functions(@AuthenticationPrincipal Principal caller, Model model) {
    caller.require(Role.VIEWER);
    model.addAttribute("caller", caller);
    model.addAttribute("functions", functions.list(caller.tenantId()));
    model.addAttribute("profiles", profiles.list(caller));
    return "dashboard/functions";
  }

  @GetMapping("/admin")
  String admin(@AuthenticationPrincipal Principal caller, Model model) {
    caller.require(Role.ADMIN);
    model.addAttribute("caller", caller);
    model.addAttribute("keys", keys.list(caller));
    model.addAttribute("credentials", credentials.list(caller));
    model.addAttribute("limits", limits.of(caller.tenantId()));
    model.addAttribute("audit", audit.list(caller, AUDIT_ROWS));
    return "dashboard/admin";
  }

  @GetMapping("/tenants")
  String tenants(@AuthenticationPrincipal Principal caller, Model model) {
    model.addAttribute("caller", caller);
    model.addAttribute("tenants", tenants.list(caller));
    return "dashboard/tenants";
  }
}
