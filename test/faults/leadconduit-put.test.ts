// The LeadConduit fault cases of the one call that changes the account.
import { leadconduitFaultCases } from '../support/leadconduit-fault-cases.js';

leadconduitFaultCases(['PUT /account']);
