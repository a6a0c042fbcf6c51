// The LeadConduit fault cases of the calls that read the account.
import { leadconduitFaultCases } from '../support/leadconduit-fault-cases.js';

leadconduitFaultCases(['GET /account', 'GET /user']);
