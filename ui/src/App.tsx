import { Center, Loader } from "@mantine/core";
import { Navigate, Route, Routes } from "react-router-dom";

import { CustomerFormPage } from "./customers/CustomerForm";
import { CustomerViewPage } from "./customers/CustomerView";
import { AppLayout } from "./pages/AppLayout";
import { ClientsPage } from "./pages/Clients";
import { CustomersPage } from "./pages/Customers";
import { InvitationPage } from "./pages/Invitation";
import { LoginPage } from "./pages/Login";
import { UsersPage } from "./pages/Users";
import { useSession } from "./session";

function RequireSession({ children }: { children: React.ReactNode }) {
  const session = useSession();
  if (session.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
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
        <Route path="clients" element={<ClientsPage />} />
        <Route path="settings/users" element={<UsersPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/app" replace />} />
    </Routes>
  );
}
