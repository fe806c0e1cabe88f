import { Center, Loader } from "@mantine/core";
import { Navigate, Route, Routes } from "react-router-dom";

import { CartsPage } from "./carts/CartsPage";
import { CustomerFormPage } from "./customers/CustomerForm";
import { CustomerViewPage } from "./customers/CustomerView";
import { AppLayout } from "./pages/AppLayout";
import { ClientsPage } from "./pages/Clients";
import { CustomersPage } from "./pages/Customers";
import { InvitationPage } from "./pages/Invitation";
import { LoginPage } from "./pages/Login";
import { UsersPage } from "./pages/Users";
import { PortalChangePassword } from "./portal/ChangePassword";
import { PortalHome } from "./portal/Home";
import { PortalInvitation } from "./portal/Invitation";
import { PortalPurchases } from "./portal/Purchases";
import { PortalLayout, PortalMissingPage, PortalToHome } from "./portal/Layout";
import { PortalRegister } from "./portal/Register";
import { PortalSignIn } from "./portal/SignIn";
import { OrderPage } from "./orders/OrderPage";
import { AuditLogPage } from "./settings/AuditLog";
import { GeneralSettingsPage } from "./settings/General";
import { JobsPage } from "./settings/Jobs";
import { LoyaltyProgramPage } from "./settings/LoyaltyProgram";
import { IndustriesPage, TagsPage, TitlesPage } from "./settings/WorkspaceListPage";
import { useSession } from "./session";

function RequireSession({ children }: { children: React.ReactNode }) {
  const session = useSession();
  if (session.isPending) {
    return (
      <Center mih="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (!session.data) return <Navigate to="/login" replace />;
  return <>{children}</>;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/invitation" element={<InvitationPage />} />
      <Route
        path="/app"
        element={
          <RequireSession>
            <AppLayout />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="customers" replace />} />
        <Route path="customers" element={<CustomersPage />} />
        <Route path="customers/new" element={<CustomerFormPage />} />
        <Route path="customers/:id" element={<CustomerViewPage />} />
        <Route path="customers/:id/edit" element={<CustomerFormPage />} />
        <Route path="orders/:id" element={<OrderPage />} />
        <Route path="carts" element={<CartsPage />} />
        <Route path="clients" element={<ClientsPage />} />
        <Route path="settings/general" element={<GeneralSettingsPage />} />
        <Route path="settings/loyalty" element={<LoyaltyProgramPage />} />
        <Route path="settings/users" element={<UsersPage />} />
        <Route path="settings/tags" element={<TagsPage />} />
        <Route path="settings/titles" element={<TitlesPage />} />
        <Route path="settings/industries" element={<IndustriesPage />} />
        <Route path="settings/audit-log" element={<AuditLogPage />} />
        <Route path="settings/jobs" element={<JobsPage />} />
      </Route>
      {/* A workspace's customer portal: its own session, separate from the admin's. */}
      <Route path="/portal" element={<PortalMissingPage />} />
      <Route path="/portal/:workspace" element={<PortalLayout />}>
        <Route index element={<PortalHome />} />
        <Route path="sign-in" element={<PortalSignIn />} />
        <Route path="register" element={<PortalRegister />} />
        <Route path="password" element={<PortalChangePassword />} />
        <Route path="orders" element={<PortalPurchases />} />
        <Route path="invitation" element={<PortalInvitation />} />
        <Route path="*" element={<PortalToHome />} />
      </Route>
      <Route path="*" element={<Navigate to="/app" replace />} />
    </Routes>
  );
}
